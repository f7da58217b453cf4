"""SPARQL over the knowledge graph: the query library, safe parameters, engines and result formats.

Shared by ``kg query``, ``kg queries`` and the endpoint (:mod:`kg.server`)::

    engine = open_engine("build/store")              # a built store (pyoxigraph)
    query = resolve_query("proxies", ".")            # queries/proxies.rq, with its header parsed
    output = run(engine, query, params={"patron": "Ankara"}, fmt="csv")

One module per concern:

- :mod:`~kg.sparql.library`: the ``queries/*.rq`` library and what a query string means;
- :mod:`~kg.sparql.text`: the query as text: its form, binding, limits, syntax and
  read-only checks;
- :mod:`~kg.sparql.params`: parameter values parsed into RDF terms (names resolved
  against the data);
- :mod:`~kg.sparql.engines`: Oxigraph, rdflib and HTTP endpoints;
- :mod:`~kg.sparql.run`: running a query within a time limit;
- :mod:`~kg.sparql.formats`: result formats, tables, media types and content negotiation.

Every prefix of :data:`kg.namespaces.PREFIXES` is predeclared, so
``SELECT ?g WHERE { kg:Turkey kg:backs ?g }`` needs no ``PREFIX`` block. Errors are
those of :mod:`kg.errors`.

>>> from kg import sparql
>>> sparql.parse_params(["patron=Ankara"]), "proxies" in sparql.library()
({'patron': 'Ankara'}, True)
"""

from __future__ import annotations

from ..errors import BadQuery as BadQuery
from ..errors import QueryError as QueryError
from ..errors import QueryRefused as QueryRefused
from ..errors import QuerySyntaxError as QuerySyntaxError
from ..errors import QueryTimeout as QueryTimeout
from ..errors import ServiceError as ServiceError
from ..errors import ServiceRefused as ServiceRefused
from ..errors import UsageError as UsageError
from ..namespaces import KG_IRI as KG_IRI
from .engines import ENGINES as ENGINES
from .engines import EndpointEngine as EndpointEngine
from .engines import Engine as Engine
from .engines import OxigraphEngine as OxigraphEngine
from .engines import RdflibEngine as RdflibEngine
from .engines import evaluation_error as evaluation_error
from .engines import load_data as load_data
from .engines import open_engine as open_engine
from .formats import CANONICAL_TYPES as CANONICAL_TYPES
from .formats import FORMAT_NAMES as FORMAT_NAMES
from .formats import FORMATS as FORMATS
from .formats import GRAPH_FORMATS as GRAPH_FORMATS
from .formats import GRAPH_TYPES as GRAPH_TYPES
from .formats import RESULT_FORMATS as RESULT_FORMATS
from .formats import RESULT_TYPES as RESULT_TYPES
from .formats import Output as Output
from .formats import display as display
from .formats import format_result as format_result
from .formats import markdown_table as markdown_table
from .formats import negotiate as negotiate
from .formats import prefixed as prefixed
from .formats import text_table as text_table
from .library import PARAM_KINDS as PARAM_KINDS
from .library import Param as Param
from .library import Query as Query
from .library import describe_library as describe_library
from .library import library as library
from .library import library_dirs as library_dirs
from .library import load_query_file as load_query_file
from .library import parse_header as parse_header
from .library import resolve_query as resolve_query
from .params import NameIndex as NameIndex
from .params import bind_params as bind_params
from .params import parse_params as parse_params
from .params import parse_term as parse_term
from .run import ask as ask
from .run import execute as execute
from .run import prepare as prepare
from .run import run as run
from .run import select as select
from .run import with_timeout as with_timeout
from .text import bind as bind
from .text import check_read_only as check_read_only
from .text import check_runnable as check_runnable
from .text import check_syntax as check_syntax
from .text import query_form as query_form
from .text import query_variables as query_variables
from .text import services as services
from .text import syntax_error as syntax_error
from .text import update_keyword as update_keyword
from .text import with_limit as with_limit
