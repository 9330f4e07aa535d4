"""Where the transparency log's signing key comes from: ``LIFECYCLE_AUDIT_KEY_FILE`` (a
signed-note signing key, ``lifecycle.audit.checkpoint``), or, in development only, a key
generated once into the data directory. Never from, nor into, the database."""

from __future__ import annotations

import os
from pathlib import Path

from lifecycle.audit.checkpoint import BadKey, SigningKey
from lifecycle.service.settings import ConfigurationError, Settings

DEV_KEY_NAME = "lifecycle-dev"


def dev_key_file(settings: Settings) -> Path:
    return settings.data_dir / "audit-signing-key"


def signing_key(settings: Settings) -> SigningKey:
    """The key checkpoints are signed with. Raises ``ConfigurationError`` when production has
    none configured or the file does not hold a signing key."""
    path = settings.audit_key_file
    if path is None:
        if not settings.development:
            raise ConfigurationError("LIFECYCLE_AUDIT_KEY_FILE is required to sign checkpoints")
        path = dev_key_file(settings)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = SigningKey.generate(DEV_KEY_NAME)
            # Written whole to a private file, then linked into place only if no other
            # process made one first (a link never replaces): whichever won, every process
            # reads the one complete key.
            draft = path.with_name(f".{path.name}.{os.getpid()}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(key.text() + "\n")
            try:
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
    try:
        return SigningKey.parse(path.read_text())
    except (OSError, BadKey) as exc:
        raise ConfigurationError(f"the audit signing key in {path} is not usable: {exc}") from None
