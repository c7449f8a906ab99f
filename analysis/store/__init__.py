"""Storage of uploads, versions, the archive of originals, consolidation and history
(SPEC §4). Entry point: `open_store()`; the API is `core.Store`.

    store = open_store(url=None, archive_dir=None)   # creates/migrates the schema
    store.preview(scope, month, filename, data, mapping=None) -> Preview    # stores nothing
    store.import_upload(scope, month, filename, data, user, mapping=None, allow_empty=False)
    store.save_read(scope, month, filename, data, user, read, mapping=None)  # after preview
    store.history(scope=None, month=None); store.restore(upload_id, user)
    store.original_bytes(upload_id)
    store.consolidated() -> (tasks, contributions); store.consolidated_tasks();
    store.consolidated_contributions(); store.task_changes()
    store.included_uploads(); store.upload_log(); store.restore_events(scope=None)
    store.named_departments(); store.known_departments()
    store.data_version(); store.is_empty(); store.has_real_data()
    store.departments(); store.people(); store.set_departments(...); store.set_roster(...)
    store.settings(); store.set_settings({...}); store.read_settings(scope)
    store.remembered_mapping(scope); store.remember_mapping(scope, mapping)
    store.audit(user, action, **details); store.audit_log(limit=200, actions=())

Where each rule lives: lifecycle and versions `uploads.py`; which rows count and the
history between months `consolidate.py`; the archive and its orphan policy
`archive.py`; the columnar copy of each upload that makes loading fast `frames.py`;
transactions, locking and URL resolution `engine.py`; schema
changes `migrations.py`; catalogue and settings `catalogue.py`; sample data
`sample.py`.
"""

from .archive import ArchiveError
from .catalogue import CENTER
from .core import Store, open_store
from .uploads import ImportOutcome, Preview, UploadNotFound

__all__ = ["open_store", "Store", "ImportOutcome", "Preview", "UploadNotFound", "ArchiveError",
           "CENTER"]
