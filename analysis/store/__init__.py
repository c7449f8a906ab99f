"""Storage of uploads, versions, the archive of originals, consolidation and history
(SPEC §4). Entry point: `open_store()`; see `core.Store` for the API."""

from .archive import ArchiveError
from .catalogue import CENTER
from .core import Store, open_store
from .uploads import ImportOutcome, Preview, UploadNotFound

__all__ = ["open_store", "Store", "ImportOutcome", "Preview", "UploadNotFound", "ArchiveError",
           "CENTER"]
