DROP TABLE financial_transactions;
DROP TABLE wallets;
