DROP TABLE outbound_messages;
DROP TABLE addresses;
DROP TABLE password_reset_tokens;
DROP TABLE users;
DROP TABLE roles;
