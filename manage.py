#!/usr/bin/env python
"""Django's command-line utility for the demo school project."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A setting the environment gives is wrong: say which, in one line.
        sys.exit(f"CommandError: {exc}")


if __name__ == "__main__":
    main()
