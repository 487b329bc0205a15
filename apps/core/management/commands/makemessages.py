"""makemessages that also finds strings marked with `L(...)`, the short name some modules give gettext_lazy
(the rulebook's labels, form labels): without it those labels have no English entry."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=L"]
