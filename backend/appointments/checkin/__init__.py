"""Check-in: automatic from position fixes inside the mine's fences, or manual confirmed at the gate."""
