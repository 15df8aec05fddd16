"""
How school fees are seeded: invoices, their lines and the payments on them.

An invoice's lines and payments are drawn from Randoms seeded by the
invoice's id (invoice_lines(), invoice_payments()). InvoiceSeed draws them to
compute the total and the status, and keeps the invoices in order of issue
with their payments; InvoiceLineSeed draws the same lines again from them, so
the three always agree, and PaymentSeed takes the payments over. How each
payment was made is a column draw.

Fees are invoiced two weeks before each term (series FEE) and due 30 days
later; in May, continuing students are invoiced next year's re-enrolment
deposit (series DEP), due in mid-June.
"""

import datetime
import decimal
import random
import uuid
from collections import defaultdict
from itertools import accumulate

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Coalesce

from model_bakery.recipe import Recipe

import seeding
from project.school.models import Student
from project.school.calendar import academic_years, at, current_terms

from .models import Invoice, InvoiceLine, Payment

CENT = decimal.Decimal("0.01")
FEES, DEPOSITS = "FEE", "DEP"
DEPOSIT = decimal.Decimal("500.00")
#: Termly tuition by the last grade of each band.
TUITION = {
    5: decimal.Decimal("1450.00"),
    8: decimal.Decimal("1650.00"),
    12: decimal.Decimal("1850.00"),
}
TRIPS = ("Natural history museum", "Theatre visit", "Outdoor centre", "Science fair")
#: How many payments settle an invoice in full.
INSTALMENTS = (1, 2, 3)
INSTALMENT_WEIGHTS = tuple(accumulate((75, 18, 7)))
AMOUNT = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(decimal.Decimal("0.00"), output_field=AMOUNT)
#: SQLite sums decimals as floating point numbers: the checks compare amounts
#: to within half a cent, as they would compare once rounded to cents.
HALF_CENT = Value(
    decimal.Decimal("0.005"), output_field=DecimalField(max_digits=4, decimal_places=3)
)


#: Termly tuition by grade, looked up once per invoice.
TUITION_OF = {
    grade: next(fee for last, fee in TUITION.items() if grade <= last)
    for grade in range(1, max(TUITION) + 1)
}


def invoice_random(invoice_id):
    """The Random from which one invoice's lines, then its payments, are
    drawn: an int seeds a Random faster than a string would."""
    return random.Random(invoice_id.int)


def term_for(issued_on, terms):
    """The term (number, starts_on, ends_on) a fee invoice issued then is for."""
    due = [t for t in terms if t[1] - datetime.timedelta(days=21) <= issued_on]
    return due[-1] if due else terms[0]


def invoice_lines(rng, number, grade, issued_on, terms, year_name):
    """(description, quantity, unit price) of an invoice's lines."""
    if number.startswith(DEPOSITS):
        y = issued_on.year
        return [(f"Re-enrolment deposit {y}/{(y + 1) % 100:02d}", 1, DEPOSIT)]
    term = term_for(issued_on, terms)[0]
    lines = [(f"Tuition, term {term} {year_name}", 1, TUITION_OF[grade])]
    if rng.random() < 0.6:
        lines.append(
            ("School lunches (days)", rng.randint(40, 60), decimal.Decimal("4.75"))
        )
    if rng.random() < 0.3:
        lines.append(("School bus, termly pass", 1, decimal.Decimal("185.00")))
    if term == 1 and rng.random() < 0.8:
        lines.append(
            ("Textbooks and workbooks", rng.randint(2, 6), decimal.Decimal("24.50"))
        )
    if rng.random() < 0.25:
        price = decimal.Decimal(rng.choice(("35.00", "48.00", "65.00")))
        lines.append((f"Trip: {rng.choice(TRIPS)}", 1, price))
    if rng.random() < 0.12:
        lines.append(("Instrument lessons", 10, decimal.Decimal("22.00")))
    if grade >= 10 and term == 2:
        lines.append(("Exam entry fees", rng.randint(5, 9), decimal.Decimal("42.00")))
    return lines


def invoice_payments(rng, total, issued_on, now):
    """(amount, paid_at) of the payments made on an invoice by now, drawn
    after its lines."""
    habit = rng.random()
    if habit < 0.8:
        # Pays in full, at once or in instalments.
        parts = rng.choices(INSTALMENTS, cum_weights=INSTALMENT_WEIGHTS)[0]
        amounts = [(total / parts).quantize(CENT)] * (parts - 1)
        amounts.append(total - sum(amounts))
    elif habit < 0.9:
        amounts = [(total * decimal.Decimal(rng.uniform(0.3, 0.6))).quantize(CENT)]
    else:
        amounts = []
    payments = []
    day = issued_on + datetime.timedelta(days=rng.randint(0, 35))
    for amount in amounts:
        paid_at = at(day, rng.randint(8, 19), rng.randrange(60))
        if paid_at >= now:
            break
        payments.append((amount, paid_at))
        day += datetime.timedelta(days=rng.randint(14, 40))
    return payments


def invoice_status(total, paid, due_on, today):
    if paid >= total:
        return Invoice.Status.PAID
    if due_on < today:
        return Invoice.Status.OVERDUE
    return Invoice.Status.PARTLY_PAID if paid else Invoice.Status.UNPAID


@seeding.register(Invoice)
class InvoiceSeed(seeding.Seed):
    def rows(self, ctx):
        #: [(invoice, number, grade, issued on, payments)] by issue date and
        #: number, for InvoiceLineSeed and PaymentSeed: the payments are
        #: drawn for the status, and the rows need not be read back.
        self.drawn = []
        today = ctx.now.date()
        year_name, _, year_ends_on = academic_years(ctx.now)[-1]
        terms = current_terms(ctx.now)
        students = list(ctx.new_rows(Student, "pk", "grade_level", "user__date_joined"))
        planned = []
        for number, starts_on, ends_on in terms:
            issued_on = starts_on - datetime.timedelta(days=14)
            for pk, grade, joined in students:
                if joined.date() <= ends_on:
                    # A newcomer is invoiced on arrival.
                    planned.append((max(issued_on, joined.date()), FEES, pk, grade))
        deposits_on = datetime.date(year_ends_on.year, 5, 15)
        for pk, grade, joined in students:
            if grade < 12 and joined.date() <= deposits_on:
                planned.append((deposits_on, DEPOSITS, pk, grade))
        numbers = numbers_taken(ctx)
        for issued_on, series, student, grade in sorted(planned):
            if issued_on >= today:
                continue
            numbers[series, issued_on.year] += 1
            number = f"{series}-{issued_on.year}-{numbers[series, issued_on.year]:06d}"
            if series == DEPOSITS:
                due_on = datetime.date(year_ends_on.year, 6, 15)
            else:
                due_on = issued_on + datetime.timedelta(days=30)
            pk = uuid.UUID(int=ctx.rng.getrandbits(128), version=4)
            rng = invoice_random(pk)
            lines = invoice_lines(rng, number, grade, issued_on, terms, year_name)
            total = sum(quantity * price for _, quantity, price in lines)
            payments = invoice_payments(rng, total, issued_on, ctx.now)
            self.drawn.append((pk, number, grade, issued_on, payments))
            paid = sum(p[0] for p in payments)
            yield {
                "id": pk,
                "number": number,
                "student": student,
                "issued_on": issued_on,
                "due_on": due_on,
                "status": invoice_status(total, paid, due_on, today),
                "total": total,
            }


    def finish(self, ctx):
        self.drawn = None  # Taken over: the memory goes with the run's steps.


def numbers_taken(ctx):
    """{(series, year): the last number issued}: numbers go on from earlier runs'."""
    numbers = defaultdict(int)
    for number in ctx.rows(Invoice, "number"):
        series, year, n = number.rsplit("-", 2)
        numbers[series, int(year)] = max(numbers[series, int(year)], int(n))
    return numbers


def drawn_invoices(ctx):
    """
    (invoice, number, grade, issued on, payments) of this run's invoices, by
    issue date and number: as InvoiceSeed drew them, or, were its step not
    in the run, drawn again from the rows.
    """
    step = ctx.plan.step(Invoice)
    drawn = getattr(step.seed, "drawn", None) if step else None
    if drawn is not None:
        return drawn
    year_name = academic_years(ctx.now)[-1][0]
    terms = current_terms(ctx.now)
    rows = ctx.new_rows(
        Invoice, "issued_on", "number", "pk", "student__grade_level", "total"
    )
    drawn = []
    for issued_on, number, pk, grade, total in sorted(rows):
        rng = invoice_random(pk)
        invoice_lines(rng, number, grade, issued_on, terms, year_name)
        payments = invoice_payments(rng, total, issued_on, ctx.now)
        drawn.append((pk, number, grade, issued_on, payments))
    return drawn


@seeding.register(InvoiceLine)
class InvoiceLineSeed(seeding.Seed):
    def rows(self, ctx):
        year_name = academic_years(ctx.now)[-1][0]
        terms = current_terms(ctx.now)
        for pk, number, grade, issued_on, _ in drawn_invoices(ctx):
            rng = invoice_random(pk)
            lines = invoice_lines(rng, number, grade, issued_on, terms, year_name)
            for description, quantity, unit_price in lines:
                yield {
                    "invoice": pk,
                    "description": description,
                    "quantity": quantity,
                    "unit_price": unit_price,
                }


@seeding.register(Payment)
class PaymentSeed(seeding.Seed):
    # How a payment is made has no bearing on the others: a column draw.
    recipe = Recipe(
        Payment,
        method=seeding.pick(
            ("bank_transfer", "card", "cash", "cheque"), weights=(50, 35, 10, 5)
        ),
    )

    def rows(self, ctx):
        for pk, number, _, _, payments in drawn_invoices(ctx):
            for n, (amount, paid_at) in enumerate(payments, 1):
                yield {
                    "invoice": pk,
                    "amount": amount,
                    "paid_at": paid_at,
                    "reference": f"PAY-{number}-{n}",
                }


def per_invoice(rows, amount):
    """
    The sum of ``amount`` over an invoice's ``rows`` (its lines or its
    payments), 0 when it has none.

    A subquery for each invoice finds its rows by the index on their key,
    where joining the invoices to all of them would group the whole join.
    """
    sums = (
        rows.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(sum=Sum(amount, output_field=AMOUNT))
        .values("sum")
    )
    return Coalesce(Subquery(sums), ZERO)


def lines_total():
    return per_invoice(InvoiceLine.objects.all(), F("quantity") * F("unit_price"))


def paid():
    return per_invoice(Payment.objects.all(), F("amount"))


@seeding.check("an invoice's total equals the sum of its lines (quantity x unit price)")
def invoice_totals(ctx):
    return (
        Invoice.objects.using(ctx.using)
        .alias(gap=Abs(F("total") - lines_total()))
        .filter(gap__gte=HALF_CENT)
    )


@seeding.check("payments on an invoice never exceed its total")
def payments_within_total(ctx):
    return (
        Invoice.objects.using(ctx.using)
        .alias(paid=paid())
        .filter(paid__gte=F("total") + HALF_CENT)
    )


@seeding.check("an invoice's status agrees with its payments and due date")
def invoice_status_agrees(ctx):
    # invoice_status(), in SQL.
    today = ctx.now.date()
    status = Case(
        When(paid__gt=F("total") - HALF_CENT, then=Value(Invoice.Status.PAID)),
        When(due_on__lt=today, then=Value(Invoice.Status.OVERDUE)),
        When(paid_abs__gte=HALF_CENT, then=Value(Invoice.Status.PARTLY_PAID)),
        default=Value(Invoice.Status.UNPAID),
    )
    return (
        Invoice.objects.using(ctx.using)
        # paid stands for its subquery wherever it is used: Abs() tests
        # the amount with one, where two comparisons would run two.
        .alias(paid=paid(), paid_abs=Abs("paid"), expected_status=status)
        .exclude(status=F("expected_status"))
    )


@seeding.check("nothing is paid before the invoice is issued, or after now")
def paid_after_issue(ctx):
    # The day paid, in the database's time zone (UTC, as at() makes it): a
    # cast each database does itself, where SQLite would work out __date in
    # Python row by row.
    return (
        Payment.objects.using(ctx.using)
        .alias(paid_on=Cast("paid_at", DateField()))
        .filter(
            Q(paid_on__lt=F("invoice__issued_on"))
            | Q(paid_at__gt=ctx.now)
            | Q(amount__lte=0)
        )
    )


@seeding.check("payment references are unique")
def unique_references(ctx):
    payments = Payment.objects.using(ctx.using)
    shared = (
        payments.values("reference")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("reference")
    )
    return payments.filter(reference__in=shared)
