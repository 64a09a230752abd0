(ns acme.orders.queries
  "Queries, and the query functions they use (allowed in ion-config.edn)."
  (:require [datomic.client.api :as d]))

(def large-order-cents 100000)

(defn large-order?
  [total-cents]
  (>= total-cents large-order-cents))

(defn order-count
  [db customer]
  (or (ffirst (d/q '[:find (count ?order)
                     :in $ ?customer
                     :where [?order :order/customer ?customer]]
                   db customer))
      0))

(defn large-orders
  [db customer]
  (map first (d/q '[:find (pull ?order [:order/id :order/total-cents :order/placed-at])
                    :in $ ?customer
                    :where
                    [?order :order/customer ?customer]
                    [?order :order/total-cents ?total]
                    [(acme.orders.queries/large-order? ?total)]]
                  db customer)))
