"""
How conversations between teachers, staff and families are seeded.

A conversation's subject says who takes part in it (TOPICS): a teacher with
some families of a grade, a teacher with one family, or colleagues among
themselves. The first participant starts the conversation and sends its
first message; nobody writes before joining, and every message follows the
one before it.
"""

import datetime
import random
from bisect import bisect_right
from collections import defaultdict
from itertools import groupby
from operator import itemgetter

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import Lag

from model_bakery.recipe import Recipe

import seeding
from project.school.models import User
from project.school.calendar import current_year_start, grade_for
from project.school.people import households
from project.school.queries import key_batches

from .models import Conversation, Message, Participant

CONVERSATIONS = 150

#: Subject: who takes part. "class": a teacher and some families of one
#: grade; "family": a teacher and one student's guardians (and sometimes the
#: student); "staff": colleagues.
TOPICS = {
    "Parents' evening: booking a slot": "class",
    "Field trip to the science museum": "class",
    "Consent forms for the residential trip": "class",
    "Class photo day": "class",
    "Reading challenge over the holidays": "class",
    "Volunteers for the summer fair": "class",
    "Homework club places": "class",
    "Swimming lessons start next week": "class",
    "Absence last week": "family",
    "Progress in mathematics": "family",
    "Report card questions": "family",
    "Medical appointment on Thursday": "family",
    "Missing homework": "family",
    "Settling in after the move": "family",
    "Lunch account top-up": "family",
    "Learning support meeting": "family",
    "Staff meeting agenda": "staff",
    "Exam timetable for term 3": "staff",
    "Cover for Friday": "staff",
    "Moderation of coursework": "staff",
    "Sports day planning": "staff",
    "New safeguarding guidance": "staff",
    "Timetable changes after half term": "staff",
    "IT: projector in room B12": "staff",
}

OPENINGS = ("Hello,", "Good morning,", "Hi,")
GROUP_OPENINGS = ("Hi all,", "Dear all,", "Good morning everyone,")
#: What people write: the school to families, families back, colleagues.
SENTENCES = {
    "school": (
        "Thank you for letting me know.",
        "Could we find a time to talk this week?",
        "I have attached the details from the school office.",
        "Please reply by Friday if you can make it.",
        "I will check with the office and come back to you.",
        "The timetable has been updated on the portal.",
        "She has been much more confident in class lately.",
        "He missed the lesson on Tuesday, so I have shared the notes.",
        "The meeting will be in the library at 3:30.",
        "Let me know if anything changes.",
    ),
    "family": (
        "That works for us, thank you.",
        "We will send the signed form back tomorrow.",
        "Is there anything we should bring on the day?",
        "Thanks, that is very helpful.",
        "Could you remind me of the deadline?",
        "We are happy to help if more volunteers are needed.",
        "Sorry for the late reply.",
        "Could we talk on the phone after school?",
    ),
    "staff": (
        "I can cover period 3 but not period 5.",
        "The meeting will be in the library at 3:30.",
        "I have updated the shared spreadsheet.",
        "Could someone check the projector before Monday?",
        "Thanks, that is very helpful.",
        "Sorry for the late reply.",
        "Let me know if anything changes.",
        "I will bring the marked papers on Monday.",
    ),
}
CLOSINGS = ("Best wishes", "Kind regards", "Thanks", "Many thanks", "See you then")


def body(rng, voice, readers):
    sentences = " ".join(rng.sample(SENTENCES[voice], rng.randint(1, 3)))
    if rng.random() < 0.5:
        return sentences
    opening = rng.choice(GROUP_OPENINGS if readers > 1 else OPENINGS)
    return f"{opening}\n\n{sentences}\n\n{rng.choice(CLOSINGS)}"


@seeding.register(Conversation)
class ConversationSeed(seeding.Seed):
    count = CONVERSATIONS
    # Started in the school's working day, in the last school year or so.
    recipe = Recipe(
        Conversation,
        subject=seeding.pick(TOPICS),
        created_at=seeding.ago(days=(1, 250), hours=(7, 21)),
    )


class Directory:
    """
    Who can write to whom, read from the users alone: messaging has no key
    to classes or guardians, so it cannot count on their rows being there.
    """

    def __init__(self, ctx):
        using, now = ctx.using, ctx.now
        # Staff and teachers by the day they joined, so that those on the
        # staff at a given moment are a prefix of the list.
        colleagues = User.objects.using(using).filter(
            role__in=(User.Role.TEACHER, User.Role.STAFF)
        )
        self.colleagues = list(
            colleagues.order_by("date_joined", "pk").values_list(
                "pk", "role", "date_joined"
            )
        )
        self.teachers = [c for c in self.colleagues if c[1] == User.Role.TEACHER]
        # {grade: [(the child's guardians, the child)]}
        self.families = defaultdict(list)
        start = current_year_start(now)
        fields = ("pk", "date_of_birth", "date_joined")
        for guardians, children in households(ctx, *fields):
            parents = [
                (pk, User.Role.GUARDIAN, joined) for _, pk, _, joined in guardians
            ]
            for _, child, born, joined in children:
                student = (child, User.Role.STUDENT, joined)
                self.families[grade_for(born, start)].append((parents, student))
        self.grades = sorted(self.families)

    def staff_at(self, moment):
        """(colleagues, teachers) who had joined by the moment."""
        return (
            self.colleagues[: bisect_right(self.colleagues, moment, key=itemgetter(2))],
            self.teachers[: bisect_right(self.teachers, moment, key=itemgetter(2))],
        )


def members(directory, subject, created_at, now):
    """
    (user, joined at, last read at) of a conversation's participants, the
    first of whom started it. A pure function of its arguments; primary keys
    stay out of it, since they differ between databases.
    """
    rng = random.Random(f"{subject}:{created_at.isoformat()}")
    audience = TOPICS.get(subject, "staff")
    joined, teachers = directory.staff_at(created_at)
    teachers = teachers or joined
    if audience == "staff" or not directory.grades or not teachers:
        people = rng.sample(joined, min(len(joined), rng.randint(2, 6)))
    else:
        families = directory.families[rng.choice(directory.grades)]
        if audience == "family":
            parents, child = rng.choice(families)
            people = [rng.choice(teachers), *parents]
            if rng.random() < 0.2:
                people.append(child)
        else:
            chosen = rng.sample(families, min(len(families), rng.randint(3, 6)))
            parents = {p for parents, _ in chosen for p in parents}
            people = [rng.choice(teachers), *sorted(parents)]
    result = []
    for n, (user, _, joined_on) in enumerate(dict.fromkeys(people)):
        # The first person starts the conversation; the others join soon.
        joined_at = created_at
        if n:
            joined_at += datetime.timedelta(minutes=rng.randint(0, 180))
        if joined_on > joined_at or joined_at > now:
            continue
        last_read_at = None
        if rng.random() < 0.8:
            span = int((now - joined_at).total_seconds())
            last_read_at = joined_at + datetime.timedelta(seconds=rng.randint(0, span))
        result.append((user, joined_at, last_read_at))
    return result


def conversations(ctx):
    """(conversation, subject, start) of this run's conversations."""
    return ctx.new_rows(Conversation, "pk", "subject", "created_at")


@seeding.register(Participant)
class ParticipantSeed(seeding.Seed):
    def rows(self, ctx):
        directory = Directory(ctx)
        for conversation, subject, created_at in conversations(ctx):
            people = members(directory, subject, created_at, ctx.now)
            for user, joined_at, last_read_at in people:
                yield {
                    "conversation": conversation,
                    "user": user,
                    "joined_at": joined_at,
                    "last_read_at": last_read_at,
                }


def voice(audience, role):
    if audience == "staff":
        return "staff"
    return "school" if role in (User.Role.TEACHER, User.Role.STAFF) else "family"


@seeding.register(Message)
class MessageSeed(seeding.Seed):
    # The senders are the participants: their rows say who, and since when.
    after = ("messaging.Participant",)

    def rows(self, ctx):
        rng = ctx.rng
        # {conversation: [(user, role, joined at)]}, the first of whom
        # started it.
        participants = defaultdict(list)
        rows = sorted(
            ctx.new_rows(Participant, "conversation", "pk", "user", "user__role", "joined_at")
        )
        for conversation, _, *person in rows:
            participants[conversation].append(person)
        for conversation, subject, sent_at in conversations(ctx):
            audience = TOPICS.get(subject, "staff")
            people = participants[conversation]
            roles = {user: role for user, role, _ in people}
            sender = None
            for n in range(rng.randint(1, 8) if people else 0):
                if n == 0:
                    gap = rng.randint(1, 20)
                else:
                    gap = int(rng.expovariate(1 / 600)) + 1  # about ten hours
                sent_at += datetime.timedelta(minutes=gap)
                if not 7 <= sent_at.hour < 22:
                    # Nobody writes at night: the message waits for the morning.
                    morning = sent_at + datetime.timedelta(hours=9)
                    sent_at = morning.replace(hour=7, minute=rng.randrange(60))
                if sent_at > ctx.now:
                    break
                present = [user for user, _, joined_at in people if joined_at < sent_at]
                if n == 0:
                    sender = people[0][0]
                else:
                    others = [user for user in present if user != sender]
                    sender = rng.choice(others or present)
                yield {
                    "conversation": conversation,
                    "sender": sender,
                    "body": body(rng, voice(audience, roles[sender]), len(people) - 1),
                    "sent_at": sent_at,
                    # Set in finish(), once the earlier messages have keys.
                    "reply_to": None,
                }

    def finish(self, ctx):
        rng = ctx.rng
        messages = [
            (pk, conversation)
            for conversation, _, pk in sorted(
                ctx.new_rows(Message, "conversation", "sent_at", "pk")
            )
        ]
        # {a reply's key less the key of the message it answers: replies}. A
        # conversation's messages are inserted together, so a handful of
        # differences cover every reply: an UPDATE for each, where
        # bulk_update() would spell out every key in a CASE.
        replies = defaultdict(list)
        for _, thread in groupby(messages, itemgetter(1)):
            earlier = []
            for pk, _ in thread:
                if earlier and rng.random() < 0.5:
                    # Mostly the message just before, sometimes an older one.
                    answered = (
                        earlier[-1] if rng.random() < 0.8 else rng.choice(earlier)
                    )
                    replies[pk - answered].append(pk)
                earlier.append(pk)
        messages = Message.objects.using(ctx.using)
        for gap, keys in replies.items():
            for batch in key_batches(ctx.using, keys):
                messages.filter(pk__in=batch).update(reply_to=F("pk") - gap)


@seeding.check("every message's sender takes part in its conversation")
def senders_take_part(ctx):
    return Message.objects.using(ctx.using).exclude(
        Exists(
            Participant.objects.filter(
                conversation=OuterRef("conversation"), user=OuterRef("sender")
            )
        )
    )


@seeding.check("messages are sent after the conversation starts and the sender joins")
def messages_after_joining(ctx):
    joined_later = Exists(
        Participant.objects.filter(
            conversation=OuterRef("conversation"),
            user=OuterRef("sender"),
            joined_at__gte=OuterRef("sent_at"),
        )
    )
    return Message.objects.using(ctx.using).filter(
        Q(sent_at__lte=F("conversation__created_at"))
        | Q(sent_at__gt=ctx.now)
        | joined_later
    )


@seeding.check("a conversation's messages come in the order they were sent")
def messages_in_order(ctx):
    return (
        Message.objects.using(ctx.using)
        .annotate(
            previous=Window(
                Lag("sent_at"), partition_by=[F("conversation")], order_by=F("pk").asc()
            )
        )
        .filter(previous__gt=F("sent_at"))
    )


@seeding.check("a reply answers an earlier message of the same conversation")
def replies_answer_earlier(ctx):
    return Message.objects.using(ctx.using).filter(
        Q(reply_to__isnull=False)
        & (
            ~Q(reply_to__conversation=F("conversation"))
            | Q(reply_to__sent_at__gte=F("sent_at"))
        )
    )


@seeding.check("read marks lie between joining and now")
def read_marks(ctx):
    return Participant.objects.using(ctx.using).filter(
        Q(last_read_at__gt=ctx.now)
        | Q(last_read_at__lt=F("joined_at"))
        | Q(joined_at__gt=ctx.now)
    )
