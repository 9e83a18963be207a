package present

import "shopcard/domain"

// The words the sidebar shows for an order's statuses, for callers that
// describe orders outside a view (the AI actions): the same words a rep
// reads, so a rep and an agent never describe one order differently.

// FulfillmentWords says an order's fulfillment status in words:
// "Partially fulfilled".
func FulfillmentWords(status string) string { return fulfillmentBadge(status).Label }

// FinancialWords says an order's financial status in words ("Payment
// pending"); "" when Shopify sent none.
func FinancialWords(status string) string { return financialBadge(status).Label }

// ShipmentWords says where a shipment is: "Out for delivery".
func ShipmentWords(f domain.Fulfillment) string { return shipmentBadge(f).Label }

// CancelReasonWords says why an order was cancelled ("payment declined");
// "" when Shopify gave no reason worth saying.
func CancelReasonWords(reason string) string { return cancelReasonWords(reason) }

// MoneyWords writes an amount as the sidebar does: "1,234.50 CAD".
func MoneyWords(m domain.Money) string { return formatMoney(m) }

// OrderAdminURL is an order's page in Shopify Admin.
func OrderAdminURL(s domain.Store, legacyID uint64) string { return orderAdminURL(s, legacyID) }

// CustomerAdminURL is a customer's page in Shopify Admin.
func CustomerAdminURL(s domain.Store, legacyID uint64) string { return customerAdminURL(s, legacyID) }

// SafeLink returns u when it is an absolute http(s) URL and "" otherwise:
// URLs from Shopify (tracking links) come from anyone.
func SafeLink(u string) string { return safeLink(u) }

// ReturnWords says where an order's return stands ("Return in
// progress"); "" when there is none.
func ReturnWords(status string) string { return returnBadge(status).Label }
