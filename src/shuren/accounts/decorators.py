"""Re-authentication before sensitive actions: ``reauth_required`` lives in ``shuren.core.reauth``
(pages beneath accounts need it too); this name stays for the apps that import it from here."""

from shuren.core.reauth import reauth_required

__all__ = ["reauth_required"]
