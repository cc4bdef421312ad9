"""The signed gate pass a driver shows as a QR code and the gate verifies offline."""
