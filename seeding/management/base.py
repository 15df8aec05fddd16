"""
What every seeding command does when something outside it fails: the
database, the connection settings, the person at the keyboard. It ends with
one line and a non-zero status, never a traceback; the transaction that was
open has been rolled back by then.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from seeding.exceptions import SeedingError, one_line

#: The shell's exit status for a run stopped by Ctrl-C.
INTERRUPTED = 130


class SeedingCommand(BaseCommand):
    #: Said when Ctrl-C stops the run; a command that cannot roll back
    #: everything says so instead.
    interrupted = "Interrupted: nothing was written."

    def execute(self, *args, **options):
        alias = options.get("database", "default")
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if "\n" not in str(exc):
                raise
            # Such as a driver's message, which runs over several lines.
            raise CommandError(one_line(exc), returncode=exc.returncode) from exc
        except SeedingError as exc:
            raise CommandError(one_line(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"Database '{alias}' failed: {one_line(exc)}") from exc
        except ImproperlyConfigured as exc:
            # Such as a DATABASES entry its backend cannot connect with.
            raise CommandError(one_line(exc)) from exc
        except KeyboardInterrupt:
            raise CommandError(self.interrupted, returncode=INTERRUPTED) from None

    def ask(self, question):
        """The answer typed to ``question``; the end of input answers no."""
        try:
            return input(question)
        except EOFError:
            self.stdout.write("")
            return "no"


def plan_refusal(problems):
    """One line for a plan that cannot run: its first problem, and how many
    more ``--plan`` lists."""
    message = f"The plan cannot run: {one_line(problems[0])}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s); --plan lists them)"
    return message
