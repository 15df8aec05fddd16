"""
The Wagtail admin and site pages that tests/admin_pages.py requests beyond
Django's admin: what an editor opens first on a seeded site.
"""

from django.urls import reverse

#: (URL name, the model whose first, middle and last rows it shows).
ROW_PAGES = [
    ("wagtailadmin_explore", "wagtailcore.Page"),
    ("wagtailadmin_pages:edit", "wagtailcore.Page"),
    ("wagtailadmin_pages:view_draft", "wagtailcore.Page"),
    # Each page type's own editor and template.
    ("wagtailadmin_pages:edit", "blog.HomePage"),
    ("wagtailadmin_pages:view_draft", "blog.HomePage"),
    ("wagtailadmin_pages:edit", "blog.BlogPage"),
    ("wagtailadmin_pages:view_draft", "blog.BlogPage"),
    ("wagtailadmin_pages:revisions_index", "blog.BlogPage"),
    ("wagtailadmin_pages:history", "wagtailcore.Page"),
    ("wagtailadmin_pages:revisions_index", "wagtailcore.Page"),
    ("wagtailadmin_pages:workflow_history", "wagtailcore.Page"),
    ("wagtailadmin_pages:usage", "wagtailcore.Page"),
    ("wagtailadmin_collections:edit", "wagtailcore.Collection"),
    ("wagtailimages:edit", "wagtailimages.Image"),
    ("wagtaildocs:edit", "wagtaildocs.Document"),
    ("wagtailsnippets_blog_author:edit", "blog.Author"),
    ("wagtailsites:edit", "wagtailcore.Site"),
    ("wagtailredirects:edit", "wagtailredirects.Redirect"),
    ("wagtailusers_users:edit", "auth.User"),
    ("wagtailusers_groups:edit", "auth.Group"),
    ("wagtailadmin_workflows:edit", "wagtailcore.Workflow"),
    ("wagtailadmin_workflows:edit_task", "wagtailcore.Task"),
]
LISTINGS = [
    "wagtailadmin_home",
    "wagtailadmin_explore_root",
    "wagtailadmin_collections:index",
    "wagtailimages:index",
    "wagtaildocs:index",
    "wagtailsnippets:index",
    "wagtailsnippets_blog_author:list",
    "wagtailsites:index",
    "wagtailredirects:index",
    "wagtailforms:index",
    "wagtailusers_users:index",
    "wagtailusers_groups:index",
    "wagtailadmin_workflows:index",
    "wagtailadmin_workflows:task_index",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:locked_pages",
    # Not "wagtailadmin_reports:workflow": it follows each workflow state's
    # generic key to a page, and seeded states may point at any model yet.
]


def urls():
    from django.apps import apps
    from wagtail.models import Page, Revision

    from tests.admin_pages import sample_keys

    found = [reverse(name) for name in LISTINGS]
    for name, label in ROW_PAGES:
        found += [reverse(name, args=[pk]) for pk in sample_keys(apps.get_model(label))]
    revisions = list(Revision.page_revisions.order_by("pk").values_list("object_id", "pk"))
    for args in revisions[:1] + revisions[len(revisions) // 2 :][:1] + revisions[-1:]:
        found.append(reverse("wagtailadmin_pages:revisions_view", args=args))
    # The site itself: every page a site serves, as a visitor.
    found += [page.url for page in Page.objects.live().specific() if page.url]
    return found
