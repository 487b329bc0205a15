"""Background tasks of publicity (the tasks API of Django 6 through the django-tasks backport; ARCHITECTURE.md).

The task takes only the id of its row: the row holds the state and the progress the page reads, so a worker that
restarts, or a task that runs twice, builds once (apps/publicity/collection.collection_build)."""

from __future__ import annotations

from django_tasks import task

from apps.publicity.collection import collection_build


@task()
def build_case_collection(collection_id: int) -> int:
    collection = collection_build(collection_id)
    return collection.pk if collection is not None else 0
