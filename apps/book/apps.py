from django.apps import AppConfig


class BookConfig(AppConfig):
    name = "apps.book"
    label = "book"
    verbose_name = "故事集"

    def ready(self):
        # The R-506 indicator; a build goes to the centre's admin for approval before it is printed.
        from apps.approvals.kinds import register
        from apps.book import measures  # noqa: F401
        from apps.book.approvals import BOOK_BUILD

        register(BOOK_BUILD)
