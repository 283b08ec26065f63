DROP TABLE retention_leases;
