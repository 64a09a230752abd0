(ns acme.orders.tx
  "Transaction functions, allowed in ion-config.edn.")

(defn place-order
  "Transaction data for a new order; refuses totals that are not positive."
  [_db {:keys [id customer total-cents placed-at]}]
  (when-not (pos-int? total-cents)
    (throw (ex-info "An order's total must be a positive number of cents"
                    {:cognitect.anomalies/category :cognitect.anomalies/incorrect
                     :total-cents total-cents})))
  [{:order/id id
    :order/customer customer
    :order/total-cents total-cents
    :order/placed-at placed-at}])
