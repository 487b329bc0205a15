"""The story book's build as a background task (django-tasks; apps/publicity/tasks.py is the first of its kind)."""

from __future__ import annotations

from django_tasks import task

from apps.book.build import book_build


@task()
def build_story_book(build_id: int) -> int:
    build = book_build(build_id)
    return build.pk if build is not None else 0
