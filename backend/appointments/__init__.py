"""Mine appointments, one sub-package per meaning: windows, booking, checkin, queue, gate_pass, and the queue log."""
