"""
django-oscar's own storefront and dashboard pages that read what the admin
only shows: products by structure, with their stock and prices, category
trees by path, running offers, ranges' products, orders with their lines and
events, vouchers' statistics, partners' users and reviews: requested by
``python -m tests.admin_pages tests.public.shop.pages``.
"""

from django.urls import reverse

from tests.admin_pages import sample_keys

LISTINGS = [
    "catalogue:index",
    "basket:summary",
    "offer:list",
    "search:search",
    "customer:summary",
    "dashboard:index",
    "dashboard:catalogue-product-list",
    "dashboard:catalogue-category-list",
    "dashboard:catalogue-class-list",
    "dashboard:stock-alert-list",
    "dashboard:offer-list",
    "dashboard:range-list",
    "dashboard:order-list",
    "dashboard:order-stats",
    "dashboard:reports-index",
    "dashboard:voucher-list",
    "dashboard:voucher-set-list",
    "dashboard:partner-list",
    "dashboard:users-index",
    "dashboard:user-alert-list",
    "dashboard:reviews-list",
    "dashboard:page-list",
    "dashboard:comms-list",
    "dashboard:shipping-method-list",
]
#: (URL name, the model whose first, middle and last rows' keys it takes).
ROW_PAGES = [
    ("dashboard:catalogue-product", "catalogue.Product"),
    ("dashboard:catalogue-category-update", "catalogue.Category"),
    ("dashboard:catalogue-category-detail-list", "catalogue.Category"),
    ("dashboard:catalogue-class-update", "catalogue.ProductClass"),
    ("dashboard:offer-detail", "offer.ConditionalOffer"),
    ("dashboard:range-update", "offer.Range"),
    ("dashboard:range-products", "offer.Range"),
    ("dashboard:voucher-update", "voucher.Voucher"),
    ("dashboard:voucher-stats", "voucher.Voucher"),
    ("dashboard:voucher-set-detail", "voucher.VoucherSet"),
    ("dashboard:user-detail", "auth.User"),
    ("dashboard:reviews-update", "reviews.ProductReview"),
]
#: Models whose rows' own get_absolute_url() is the storefront's page.
STOREFRONT = ["catalogue.Category", "reviews.ProductReview"]
# Not "catalogue:range": it shows public ranges only, and every seeded range
# keeps is_public's default, False, so each page is a 404 that reads nothing.


#: Pages left out on MySQL and MariaDB: whatever the rows, oscar expands a
#: range's categories in SQL of its own (catalogue/expressions.py) that quotes
#: names with double quotes and joins text with ||, which they read as a
#: syntax error (1064) unless sql_mode holds ANSI_QUOTES and PIPES_AS_CONCAT.
NOT_ON_MYSQL = ("dashboard:range-list", "dashboard:range-products", "offer:detail")


def urls():
    from django.apps import apps
    from django.db import connection
    from django.urls import resolve

    found = [reverse(name) for name in LISTINGS]
    for name, label in ROW_PAGES:
        found += [reverse(name, args=[pk]) for pk in sample_keys(apps.get_model(label))]
    for label in STOREFRONT:
        found += [row.get_absolute_url() for row in rows(apps.get_model(label).objects.all())]
    found += products()
    Order = apps.get_model("order.Order")
    found += [
        reverse("dashboard:order-detail", args=[order.number])
        for order in rows(Order.objects.all())
    ]
    # The storefront shows running offers only: any other is a 404.
    Offer = apps.get_model("offer.ConditionalOffer")
    found += [offer.get_absolute_url() for offer in rows(Offer.active.all())]
    found += partners()
    if connection.vendor == "mysql":
        found = [url for url in found if resolve(url).view_name not in NOT_ON_MYSQL]
    return found


def partners():
    """A partner's dashboard page, for partners of one address at most.

    Oscar's own Partner.primary_address raises NotImplementedError for a
    partner of several addresses (a 500), and asks a project that has them to
    override it; a partner's addresses are a plain foreign key, which seeded
    rows share unevenly, as real ones do. Those partners are left out."""
    from django.apps import apps
    from django.db.models import Count

    Partner = apps.get_model("partner.Partner")
    single = Partner.objects.annotate(n=Count("addresses")).filter(n__lte=1)
    return [reverse("dashboard:partner-manage", args=[pk]) for pk in sample_keys(single)]


def products():
    """Each structure's first, middle and last products, on the storefront,
    and their reviews. (Seeded catalogues hold no child product yet: a child
    needs a parent product, and rows clean() rejects take a standalone or
    parent row's values.)"""
    from django.apps import apps

    Product = apps.get_model("catalogue.Product")
    found = []
    for structure, _ in Product.STRUCTURE_CHOICES:
        for product in rows(Product.objects.filter(structure=structure)):
            found.append(product.get_absolute_url())
            found.append(reverse("catalogue:reviews-list", args=[product.slug, product.pk]))
    return found


def rows(queryset):
    """The first, middle and last rows of ``queryset``."""
    return list(queryset.filter(pk__in=sample_keys(queryset)).order_by("pk"))
