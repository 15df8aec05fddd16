"""
Page users are staff: the demo's seeds give every account with the student
role a pupil's record, born in the years its grades allow.
"""

from model_bakery.recipe import Recipe

import seeding

from .models import PageUser


@seeding.register(PageUser)
class PageUserSeed(seeding.Seed):
    recipe = Recipe(PageUser, role="staff")
