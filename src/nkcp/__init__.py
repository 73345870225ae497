"""nk-collective-punishment: reported collective punishment in North Korea, traced to the words of sources.

The public API is deliberately small and imports nothing heavy at package import time, so the
`nkcp` command starts fast.
"""

from __future__ import annotations

__version__ = "0.0.0"
