"""Faults injected into the extractor for the tests of how a build reports them (importable by workers)."""

from __future__ import annotations

from kg.extract import Extractor


class FailingExtractor(Extractor):
    """The real extractor, except that it fails on the paragraph of an article that contains ``BOOM``.

    Like the real one, it has reported the paragraphs it finished (up to the end of the
    line before) when it fails.
    """

    def extract(self, article, progress=None):
        at = article.text.find("BOOM")
        if at < 0:
            return super().extract(article, progress)
        if progress is not None:
            progress(article.text.rfind("\n", 0, at), len(article.text))
        raise RuntimeError("an internal error the test injected")


class WhereExtractor(Extractor):
    """The real extractor, which also says in which process it read each article (its ``skipped``
    list gains ``(pid, "where")``): for the tests of where a build extracts."""

    def extract(self, article, progress=None):
        import os

        extraction = super().extract(article, progress)
        extraction.skipped.append((os.getpid(), "where"))
        return extraction
