"""Documents in the console: their files (the list, detail and revoke pages build on this)."""

from __future__ import annotations

import uuid

from anyio import to_thread
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import File

from api.console.session import require_role
from registry.domain.errors import NotFound
from registry.usecases.accounts import UserView
from registry.usecases.issuing import Registry
from registry.usecases.production import MEDIA_TYPES

#: Who reads documents in the console: as in the API (a requester only its own unit's).
DOCUMENT_READERS = ("issuer", "requester", "auditor")


class DocumentFiles(Controller):
    path = "/dokumen"
    include_in_schema = False

    @get("/{document_id:uuid}/{kind:str}", name="console-document-file")
    async def file(
        self,
        document_id: FromPath[uuid.UUID],
        kind: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> File:
        """The issued PDF (shown in the browser) or the DOCX it was made from (downloaded)."""
        require_role(user, *DOCUMENT_READERS)
        if kind not in ("pdf", "docx"):
            raise NotFound("Berkas yang diminta tidak ada: pilih PDF atau DOCX.")
        view, path = await to_thread.run_sync(registry.file_path, document_id, kind, user.actor)
        return File(
            path=path,
            filename=f"{view.number.replace('/', '-')}.{kind}",
            media_type=MEDIA_TYPES[kind],
            content_disposition_type="inline" if kind == "pdf" else "attachment",
        )
