(ns acme.orders.ions
  "Entry points named in resources/datomic/ion-config.edn: a Lambda ion and the HTTP Direct handler."
  (:require [acme.orders.cache :as cache]
            [acme.orders.db :as db]
            [acme.orders.queries :as queries]
            [clojure.data.json :as json]
            [datomic.client.api :as d])
  (:import (java.util Date UUID)))

(defn- cached-order-count [customer]
  (Long/parseLong (cache/cached (str "order-count:" customer) 60
                                #(str (queries/order-count (db/db) customer)))))

(defn order-count
  "Lambda ion: input is JSON {\"customer\": ...}; returns JSON {\"customer\": ..., \"orders\": n}."
  [{:keys [input]}]
  (let [{:strs [customer]} (json/read-str input)]
    (json/write-str {:customer customer :orders (cached-order-count customer)})))

(defn- json-response [status body]
  {:status status
   :headers {"content-type" "application/json"}
   :body (json/write-str body)})

;; Transaction functions run only on the primary compute group, and this service deploys to its own
;; query group, so the order is checked here and transacted as plain data.
(defn- place-order [customer body]
  (let [{:strs [total-cents]} (json/read-str (slurp body))
        id (UUID/randomUUID)]
    (when-not (pos-int? total-cents)
      (throw (ex-info "An order's total must be a positive number of cents"
                      {:cognitect.anomalies/category :cognitect.anomalies/incorrect
                       :total-cents total-cents})))
    (d/transact (db/conn) {:tx-data [{:order/id id
                                      :order/customer customer
                                      :order/total-cents total-cents
                                      :order/placed-at (Date.)}]})
    (cache/forget (str "order-count:" customer))
    (json-response 201 {:id (str id)})))

(defn http-handler
  "HTTP Direct handler (a ring handler):
   GET /customers/<c>/orders          -> the customer's order count
   GET /customers/<c>/orders/large    -> the customer's large orders
   POST /customers/<c>/orders         -> place an order, body {\"total-cents\": n}"
  [{:keys [request-method uri body]}]
  (let [[_ customer large] (re-matches #"/customers/([^/]+)/orders(/large)?/?" uri)]
    (try
      (cond
        (nil? customer) (json-response 404 {:error "not found"})
        (and (= request-method :get) large)
        (json-response 200 {:orders (mapv #(update % :order/id str) (queries/large-orders (db/db) customer))})
        (= request-method :get) (json-response 200 {:customer customer :orders (cached-order-count customer)})
        (and (= request-method :post) (not large)) (place-order customer body)
        :else (json-response 405 {:error "method not allowed"}))
      (catch clojure.lang.ExceptionInfo e
        (if (= :cognitect.anomalies/incorrect (:cognitect.anomalies/category (ex-data e)))
          (json-response 400 {:error (ex-message e)})
          (throw e))))))
