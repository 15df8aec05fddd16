"""
How syllabuses and their lessons are seeded.

Each subject has one syllabus per grade it is taught in (school.reference.SUBJECTS)
for the current year. Its lessons work through the topics of that grade
(TOPICS), one or two lessons a topic, and end with a review, numbered from 1.
"""

from django.db.models import Case, Count, F, Max, Min, Q, Value, When

import seeding
from project.school.models import AcademicYear, Subject
from project.school.reference import SUBJECTS, grades_of

from .models import Lesson, Syllabus

#: Subject code: (first grade, last grade, topic, what students will be able to do)
TOPICS = {
    "MATH": [
        (1, 3, "Counting and place value", "read, write and order numbers to 1,000"),
        (1, 3, "Addition and subtraction", "add and subtract two-digit numbers"),
        (1, 4, "Shapes and patterns", "name 2D and 3D shapes and continue patterns"),
        (2, 5, "Multiplication tables", "recall multiplication facts up to 10 x 10"),
        (3, 6, "Fractions", "compare, add and subtract simple fractions"),
        (4, 6, "Measurement and time", "measure length, mass and time in units"),
        (
            5,
            8,
            "Decimals and percentages",
            "convert fractions, decimals and percentages",
        ),
        (6, 8, "Ratio and proportion", "solve problems involving ratio and scale"),
        (7, 9, "Linear equations", "solve linear equations in one unknown"),
        (7, 10, "Angles and polygons", "find missing angles in triangles and polygons"),
        (8, 10, "Probability", "find the probability of single and combined events"),
        (9, 11, "Quadratic functions", "factorise quadratics and sketch their graphs"),
        (9, 12, "Statistics", "summarise data with averages, spread and charts"),
        (
            10,
            12,
            "Trigonometry",
            "use sine, cosine and tangent to find sides and angles",
        ),
        (10, 12, "Sequences and series", "find the nth term and sum of a sequence"),
        (
            11,
            12,
            "Differentiation",
            "differentiate polynomials and find turning points",
        ),
        (11, 12, "Integration", "integrate polynomials and find areas under curves"),
    ],
    "ENG": [
        (1, 2, "Phonics and letter sounds", "blend letter sounds to read new words"),
        (1, 4, "Reading aloud", "read a short text aloud fluently and with expression"),
        (1, 6, "Story writing", "write a story with a beginning, a middle and an end"),
        (2, 6, "Sentences and punctuation", "punctuate sentences, commas included"),
        (3, 7, "Poetry", "identify rhyme, rhythm and imagery in a poem"),
        (
            5,
            9,
            "Persuasive writing",
            "write a persuasive letter using rhetorical devices",
        ),
        (7, 12, "Shakespeare", "explain how Shakespeare presents a character"),
        (7, 12, "The novel", "analyse how an author builds tension in a chapter"),
        (
            8,
            12,
            "Non-fiction and media",
            "compare the viewpoints of two non-fiction texts",
        ),
        (10, 12, "Essay writing", "structure an analytical essay around an argument"),
    ],
    "SCI": [
        (1, 3, "Living things and habitats", "sort living things by where they live"),
        (1, 3, "Everyday materials", "test and compare materials for a purpose"),
        (1, 6, "Plants", "describe what plants need to grow and stay healthy"),
        (2, 6, "Animals including humans", "name the main organs of the body"),
        (3, 6, "Light and shadows", "explain how shadows form and change"),
        (4, 6, "Electricity", "build a simple circuit and explain why a bulb lights"),
        (4, 6, "States of matter", "describe how water changes state"),
        (5, 6, "Earth and space", "describe the movement of the Earth and the Moon"),
        (5, 6, "Forces", "investigate friction, air resistance and gravity"),
    ],
    "BIO": [
        (7, 9, "Cells and microscopy", "prepare a slide and identify parts of a cell"),
        (7, 9, "Nutrition and digestion", "explain how enzymes break down food"),
        (7, 10, "Ecosystems and food webs", "interpret food webs and energy transfer"),
        (8, 10, "Respiration", "compare aerobic and anaerobic respiration"),
        (8, 11, "Photosynthesis", "investigate what limits the rate of photosynthesis"),
        (
            9,
            12,
            "Genetics and inheritance",
            "use Punnett squares to predict inheritance",
        ),
        (10, 12, "Evolution", "explain how natural selection leads to evolution"),
        (
            10,
            12,
            "The immune system",
            "describe how the body defends against pathogens",
        ),
        (11, 12, "Homeostasis", "explain how the body controls blood glucose"),
    ],
    "CHEM": [
        (7, 9, "Particles and states of matter", "use the particle model"),
        (7, 9, "Elements, compounds and mixtures", "separate mixtures by distillation"),
        (7, 10, "Acids and alkalis", "measure pH and describe neutralisation"),
        (8, 10, "The periodic table", "explain the trends within groups of elements"),
        (9, 11, "Chemical bonding", "compare ionic and covalent bonding"),
        (
            9,
            12,
            "Quantitative chemistry",
            "calculate relative formula masses and moles",
        ),
        (
            10,
            12,
            "Rates of reaction",
            "investigate how temperature affects reaction rate",
        ),
        (11, 12, "Organic chemistry", "name alkanes and alkenes and their reactions"),
        (11, 12, "Electrolysis", "predict the products of electrolysis"),
    ],
    "PHYS": [
        (7, 9, "Speed and motion", "calculate speed and read distance-time graphs"),
        (
            7,
            9,
            "Energy transfers",
            "describe energy transfers and calculate efficiency",
        ),
        (
            7,
            10,
            "Waves, light and sound",
            "describe the reflection and refraction of waves",
        ),
        (8, 10, "Electric circuits", "measure current and voltage in circuits"),
        (9, 11, "Electromagnetism", "explain how an electric motor works"),
        (9, 12, "Newton's laws", "apply Newton's laws to explain motion"),
        (10, 12, "Radioactivity", "describe alpha, beta and gamma radiation"),
        (11, 12, "Space physics", "explain the life cycle of a star"),
        (11, 12, "Thermal physics", "measure the specific heat capacity of a metal"),
    ],
    "SOC": [
        (1, 3, "My community", "describe the people and places of their community"),
        (1, 4, "Maps and directions", "read a simple map and give directions"),
        (1, 6, "Festivals around the world", "compare how festivals are celebrated"),
        (2, 6, "Long ago and today", "compare everyday life in the past with today"),
        (3, 6, "Rules and citizenship", "explain why communities need rules"),
        (
            4,
            6,
            "Ancient civilisations",
            "describe daily life in an ancient civilisation",
        ),
        (5, 6, "Trade and money", "explain how goods travel from maker to buyer"),
    ],
    "HIST": [
        (7, 8, "Medieval society", "describe life in a medieval village"),
        (7, 9, "Historical sources", "judge a source for reliability and usefulness"),
        (7, 9, "The Reformation", "explain why the Reformation divided Europe"),
        (
            8,
            10,
            "Revolutions",
            "compare the causes of the American and French revolutions",
        ),
        (8, 10, "The Industrial Revolution", "explain how industry changed towns"),
        (9, 11, "The First World War", "evaluate the causes of the First World War"),
        (10, 12, "The Second World War", "analyse sources on the home front"),
        (10, 12, "The Cold War", "explain how the Cold War shaped the world"),
        (
            11,
            12,
            "Civil rights movements",
            "assess the methods of civil rights campaigners",
        ),
        (11, 12, "Interpretations", "compare how historians interpret one event"),
    ],
    "GEO": [
        (7, 9, "Map skills", "use grid references, scale and contour lines"),
        (7, 9, "Weather and climate", "interpret climate graphs"),
        (7, 10, "Rivers and flooding", "describe river processes and flood defences"),
        (8, 10, "Tectonic hazards", "explain where earthquakes and volcanoes happen"),
        (8, 11, "Population and migration", "interpret population pyramids"),
        (9, 12, "Urban change", "evaluate the challenges facing a growing city"),
        (10, 12, "Climate change", "assess the evidence for climate change"),
        (10, 12, "Development", "compare measures of development between countries"),
        (11, 12, "Fieldwork", "plan a fieldwork enquiry and analyse its data"),
    ],
    "FRE": [
        (4, 6, "Greetings and introductions", "introduce themselves in French"),
        (4, 6, "Numbers, days and dates", "say numbers, days and dates in French"),
        (4, 7, "Family and pets", "describe their family using possessive adjectives"),
        (5, 8, "At school", "talk about school subjects and give opinions"),
        (7, 9, "Free time", "use the present tense of regular verbs"),
        (8, 10, "Holidays", "describe a past holiday using the perfect tense"),
        (9, 11, "Food and health", "give advice using the imperative"),
        (10, 12, "Future plans", "talk about future plans using the future tense"),
        (11, 12, "Francophone culture", "discuss a French-language film or text"),
        (11, 12, "Environment and society", "debate a social issue in French"),
    ],
    "SPA": [
        (7, 8, "Saludos", "introduce themselves and others in Spanish"),
        (7, 9, "Mi familia", "describe people using ser and tener"),
        (7, 9, "El instituto", "talk about school subjects and give opinions"),
        (8, 10, "El tiempo libre", "use regular verbs in the present tense"),
        (9, 11, "De vacaciones", "describe a past holiday in the preterite"),
        (10, 12, "El futuro", "talk about plans using ir a and the future tense"),
        (11, 12, "La cultura hispana", "discuss a Spanish-language film or text"),
        (11, 12, "El medio ambiente", "debate an environmental issue in Spanish"),
    ],
    "MUS": [
        (1, 2, "Listening and moving", "respond to music through movement"),
        (1, 3, "Pulse and rhythm", "keep a steady beat and clap simple rhythms"),
        (1, 4, "Singing together", "sing in tune as part of a group"),
        (2, 6, "Percussion ensembles", "perform a rhythm in a group"),
        (3, 8, "Reading notation", "read and play simple staff notation"),
        (5, 9, "Composing a melody", "compose a melody on a pentatonic scale"),
        (7, 10, "Music of the world", "identify features of music from other cultures"),
        (8, 12, "Film music", "explain how composers create mood in film scores"),
        (9, 12, "Harmony and chords", "build triads and harmonise a melody"),
        (10, 12, "Performance and recording", "rehearse, perform and record a piece"),
    ],
    "ART": [
        (1, 3, "Colour mixing", "mix secondary colours from primary colours"),
        (1, 4, "Printing and patterns", "make repeat patterns by printing"),
        (1, 6, "Observational drawing", "draw objects using line and tone"),
        (3, 7, "Collage and texture", "combine materials to create texture"),
        (5, 9, "Clay and sculpture", "model a form in clay using coils and slabs"),
        (7, 12, "Portraits", "draw a portrait with accurate proportions"),
        (8, 12, "Art movements", "respond to an artist's work in their style"),
        (9, 12, "Photography", "compose and edit a photograph for effect"),
        (10, 12, "Personal project", "develop ideas for a project in a sketchbook"),
    ],
    "PE": [
        (1, 3, "Running, jumping and throwing", "run, jump and throw with control"),
        (1, 6, "Team games", "pass and receive a ball in a small-sided game"),
        (1, 6, "Gymnastics", "link balances and rolls into a sequence"),
        (3, 8, "Swimming", "swim 25 metres using a recognised stroke"),
        (5, 12, "Athletics", "improve their time or distance in an event"),
        (7, 12, "Invasion games", "use tactics to keep possession and score"),
        (7, 12, "Health and fitness", "plan a warm-up and a fitness circuit"),
        (9, 12, "Sports leadership", "lead a warm-up and officiate a game"),
    ],
    "CS": [
        (5, 7, "Algorithms", "write step-by-step instructions and debug them"),
        (5, 8, "Block programming", "use loops and conditions in a block program"),
        (5, 9, "Online safety", "explain how to stay safe and respectful online"),
        (7, 10, "Programming in Python", "write programs with loops and functions"),
        (8, 11, "Data representation", "convert between binary, decimal and hex"),
        (9, 12, "Networks", "describe how data travels across a network"),
        (10, 12, "Searching and sorting", "compare linear and binary search"),
        (11, 12, "Databases and SQL", "query a database with SQL"),
        (11, 12, "Software project", "plan, build and test a program for a user"),
    ],
}

#: The lessons of a topic: (title suffix, second objective)
STAGES = [
    ("introduction", "Students will learn the key words and ideas of the topic."),
    ("practice", "Students will practise on their own and check their work."),
]
REVIEW = (
    "Review and assessment",
    "Students will be able to recall the main ideas of the unit. "
    "Students will show what they have learnt in a short assessment.",
)


def topics_for(code, grade):
    return [(t, o) for low, high, t, o in TOPICS.get(code, ()) if low <= grade <= high]


@seeding.register(Syllabus)
class SyllabusSeed(seeding.Seed):
    def rows(self, ctx):
        # One syllabus per subject, grade and year: reused by later runs.
        natural_key = ("subject", "year", "grade_level")
        return ctx.missing(Syllabus, self.syllabuses(ctx), *natural_key)

    def syllabuses(self, ctx):
        year = AcademicYear.objects.using(ctx.using).get(is_current=True)
        subjects = Subject.objects.using(ctx.using).order_by("code")
        for pk, code, name in subjects.values_list("pk", "code", "name"):
            for grade in grades_of(code):
                yield {
                    "subject": pk,
                    "year": year.pk,
                    "grade_level": grade,
                    "title": f"{name}, grade {grade} ({year.name})",
                }


@seeding.register(Lesson)
class LessonSeed(seeding.Seed):
    def rows(self, ctx):
        syllabuses = ctx.new_rows(Syllabus, "pk", "subject__code", "grade_level")
        for pk, code, grade in syllabuses:
            minutes = 45 if grade <= 6 else 60
            lessons = []
            for topic, objective in topics_for(code, grade) or [("Key skills", "")]:
                first = f"Students will be able to {objective}." if objective else ""
                stages = STAGES if ctx.rng.random() < 0.6 else STAGES[:1]
                for stage, second in stages:
                    title = topic if len(stages) == 1 else f"{topic}: {stage}"
                    lessons.append((title, f"{first} {second}".strip()))
            lessons.append(REVIEW)
            for sequence, (title, objectives) in enumerate(lessons, 1):
                yield {
                    "syllabus": pk,
                    "sequence": sequence,
                    "title": title,
                    "objectives": objectives,
                    "duration_minutes": minutes * (2 if "practice" in title else 1),
                }


@seeding.check("each subject has one syllabus per grade it is taught in, this year")
def syllabus_per_grade(ctx):
    # grades_of() in SQL: the first and the last grade taught, by code.
    first = Case(
        *[When(code=code, then=Value(first)) for code, _, _, first, _ in SUBJECTS],
        default=Value(1),
    )
    last = Case(
        *[When(code=code, then=Value(last)) for code, _, _, _, last in SUBJECTS],
        default=Value(12),
    )
    current = Q(syllabuses__year__is_current=True)
    taught = Q(
        syllabuses__grade_level__gte=F("first"), syllabuses__grade_level__lte=F("last")
    )
    # One syllabus for each grade taught, and none for another: as many
    # syllabuses as grades taught, and all of those grades.
    return (
        Subject.objects.using(ctx.using)
        .alias(first=first, last=last)
        .alias(
            syllabuses_now=Count("syllabuses", filter=current),
            grades=Count(
                "syllabuses__grade_level", filter=current & taught, distinct=True
            ),
            # As an aggregate, so that HAVING may use it on every backend.
            all_grades=Max(F("last") - F("first") + 1),
        )
        .exclude(syllabuses_now=F("grades"), grades=F("all_grades"))
    )


@seeding.check("a syllabus's lessons are numbered 1 to n without gaps")
def lessons_numbered(ctx):
    return (
        Syllabus.objects.using(ctx.using)
        .annotate(
            lessons_count=Count("lessons"),
            first=Min("lessons__sequence"),
            last=Max("lessons__sequence"),
        )
        .exclude(first=1, last=F("lessons_count"))
    )


@seeding.check("lessons have a title and objectives that say what students will do")
def lesson_objectives(ctx):
    return Lesson.objects.using(ctx.using).filter(
        Q(title="") | ~Q(objectives__startswith="Students will")
    )
