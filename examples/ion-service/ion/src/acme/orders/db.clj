(ns acme.orders.db
  "The orders database: its client, connection and schema."
  (:require [datomic.client.api :as d]
            [datomic.ion :as ion]))

(def schema
  [{:db/ident :order/id
    :db/valueType :db.type/uuid
    :db/cardinality :db.cardinality/one
    :db/unique :db.unique/identity}
   {:db/ident :order/customer
    :db/valueType :db.type/string
    :db/cardinality :db.cardinality/one
    :db/index true}
   {:db/ident :order/total-cents
    :db/valueType :db.type/long
    :db/cardinality :db.cardinality/one}
   {:db/ident :order/placed-at
    :db/valueType :db.type/instant
    :db/cardinality :db.cardinality/one}])

(defn settings
  "The query group's EnvironmentMap (QueryGroup environmentMap in ../../../../ions.ts)."
  []
  (ion/get-env))

(def ^:private client
  ;; On a Datomic node, :server-type :ion ignores the rest of the map and uses the node's own client;
  ;; elsewhere (a REPL) it connects to :endpoint.
  (delay (let [{:keys [system region endpoint]} (settings)]
           (d/client {:server-type :ion :system system :region region :endpoint endpoint}))))

(def ^:private connection
  (delay (let [db-name (:db-name (settings))]
           (d/create-database @client {:db-name db-name})
           (let [conn (d/connect @client {:db-name db-name})]
             (d/transact conn {:tx-data schema})
             conn))))

(defn conn [] @connection)

(defn db [] (d/db (conn)))
