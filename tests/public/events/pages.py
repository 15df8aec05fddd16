"""
The apps' own pages that read what the admin only shows: calendars, whose
occurrences dateutil computes from the recurrence rules, events and
occurrences, the helpdesk's dashboard, tickets (custom field values read by
their field's type), reports, the knowledge base (categories by slug) and
the API: requested by ``python -m tests.admin_pages tests.public.events.pages``.
"""

#: Rows per model whose pages are requested.
ROWS = 4
#: The views of a calendar, by period.
PERIODS = ("year", "tri_month", "compact_month", "month", "week", "daily")


def urls():
    from helpdesk.models import KBCategory, Ticket
    from schedule.models import Calendar, Event, Occurrence

    found = ["/calendar/", "/helpdesk/dashboard/", "/helpdesk/tickets/",
             "/helpdesk/kb/", "/helpdesk/kanban/", "/helpdesk/reports/",
             "/helpdesk/api/tickets/", "/helpdesk/api/followups/"]
    for slug in Calendar.objects.values_list("slug", flat=True)[:ROWS]:
        found += [f"/calendar/calendar/{period}/{slug}/" for period in PERIODS]
        found.append(f"/calendar/api/occurrences?calendar_slug={slug}"
                     "&start=2025-01-01&end=2026-12-31")
    found += [f"/calendar/event/{pk}/" for pk in Event.objects.values_list("pk", flat=True)[:ROWS]]
    found += [
        f"/calendar/occurrence/{event}/{pk}/"
        for pk, event in Occurrence.objects.values_list("pk", "event")[:ROWS]
    ]
    for pk in Ticket.objects.values_list("pk", flat=True)[:ROWS]:
        found += [f"/helpdesk/tickets/{pk}/", f"/helpdesk/tickets/{pk}/edit/"]
    found += [f"/helpdesk/kb/{slug}/" for slug in KBCategory.objects.values_list("slug", flat=True)]
    return found

