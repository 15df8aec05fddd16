"""The exceptions that ``seeding`` raises; commands turn them into CommandError."""


class SeedingError(Exception):
    """Any error raised by seeding."""


class ConfigurationError(SeedingError):
    """The SEEDING setting, an option or a seed module is malformed."""


class AlreadyRegistered(ConfigurationError):
    """A seed module registers a model that another Seed class has already."""


class PlanError(SeedingError):
    """The plan cannot be satisfied; raised before anything is written."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class SeedFailed(SeedingError):
    """Inserting the rows of one model failed; everything was rolled back."""


class ProductionDatabase(SeedingError):
    """The database is marked as production and no override was given."""


class Locked(SeedingError):
    """Another seed or purge holds the database."""


class PurgeFailed(SeedingError):
    """The tables could not be read or emptied."""


class Cancelled(SeedingError):
    """The caller declined to go ahead; nothing was changed."""


def one_line(exc):
    """Driver messages run over several lines; an error says it in one."""
    return " ".join(str(exc).split())
