"""The interface's languages: which one a request or a recipient reads, its messages, and how it
writes dates and numbers.

English and French (the UN Secretariat's working languages). Messages are written in English in
the code and the templates and looked up in Babel catalogs under capmatch/locale/; dates, numbers
and percentages are formatted by Babel for the language in use. Exports and the API's data keep
ISO dates and dot decimals whatever the language.
"""

from capmatch.i18n.locales import DEFAULT, LANGUAGES, current, negotiate, use
from capmatch.i18n.messages import N_, gettext, lazy_gettext, ngettext

_ = gettext

__all__ = ["DEFAULT", "LANGUAGES", "N_", "_", "current", "gettext", "lazy_gettext", "negotiate", "ngettext", "use"]
