"""
django-seeding: fill a whole Django project's database with realistic,
consistent fake data, and empty it again safely.
"""

from .recipes import ago, fake, pick
from .registry import CheckContext, Seed, autodiscover, check, register

__all__ = [
    "CheckContext",
    "Seed",
    "SeedContext",
    "ago",
    "autodiscover",
    "check",
    "fake",
    "pick",
    "purge",
    "register",
    "seed",
]
__version__ = "0.1.0"


def __getattr__(name):
    # seed() and purge() need the models, which the app registry loads after
    # importing this package: their module is imported on first use.
    if name in ("seed", "purge"):
        from . import api

        return getattr(api, name)
    if name == "SeedContext":
        from .engine import SeedContext

        return SeedContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
