"""Booking a window for an assigned waybill: book, move, cancel, and release when a window closes."""
