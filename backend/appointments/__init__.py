"""Mine appointments: slots, bookings, geofence check-in, the virtual queue, release control, gate passes."""
