"""The course's command-line tools (see README).

Start-up: jsonschema (imported by nbformat, so by every nbgrader command) imports
``rfc3987_syntax`` when it is installed (JupyterLab's dependencies install it), which
builds a parser for 2 s at import, only to check the "iri" string format. nbformat and
nbgrader never validate that format, so the course's tools skip that import: about 2 s
saved on each command and each nbgrader process they start.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` -> ImportError
