(ns acme.orders.cache
  "Redis in the service VPC, reached across the VPC peering."
  (:require [acme.orders.db :as db]
            [taoensso.carmine :as car]))

(def ^:private connection
  (delay (let [{:keys [redis-host redis-port]} (db/settings)]
           ;; The replication group encrypts in transit.
           {:pool (car/connection-pool {})
            :spec {:host redis-host :port redis-port :ssl-fn :default}})))

(defn cached
  "The string under `key`, computing and storing it for `ttl-seconds` when absent."
  [key ttl-seconds compute]
  (if-some [hit (car/wcar @connection (car/get key))]
    hit
    (let [value (compute)]
      (car/wcar @connection (car/setex key ttl-seconds value))
      value)))

(defn forget [key]
  (car/wcar @connection (car/del key)))
