"""Matrix-world builder: the campaign's story book with one finished build (both files)."""

from __future__ import annotations

from django.core.files.base import ContentFile


def build(world) -> None:
    from apps.book.models import Book, BookBuild

    book = Book.plain.create(campaign=world.campaign, org=world.center)
    world.book_build = BookBuild(book=book, org=world.center, number=1, state="built", stage="done", done=1, total=1,
                                 pdf_sha256="0" * 64, pdf_pages=1)
    world.book_build.docx.save("b.docx", ContentFile(b"PK\x03\x04"), save=False)
    world.book_build.pdf.save("b.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    world.book_build.save()
