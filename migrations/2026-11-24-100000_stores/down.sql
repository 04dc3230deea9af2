DROP TABLE stock_movements;
DROP TABLE store_inventory;
DROP TABLE stores;
