"""The virtual queue: the board, a driver's place, call-in, no-show expiry, and letting a truck in."""
