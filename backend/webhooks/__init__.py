"""Webhooks: shippers' and buyers' own systems (ERP) told of waybill events, signed, retried, logged."""
