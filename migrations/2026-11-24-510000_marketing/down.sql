DROP TABLE coupon_redemptions;
DROP TABLE coupons;
DROP TABLE marketing_campaigns;
