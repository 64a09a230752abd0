(ns acme.orders.report
  "The daily orders report: a Datomic client in a Lambda function. It reads the
   environment the Pulumi program gives it (DatomicClientEndpoint / DatomicSystemReference
   clientEnvironment), connects through the client endpoint and logs yesterday's totals."
  (:require [clojure.data.json :as json]
            [datomic.client.api :as d])
  (:import (com.amazonaws.auth STSAssumeRoleSessionCredentialsProvider$Builder)
           (com.amazonaws.services.lambda.runtime Context)
           (java.time Duration Instant)
           (java.util Date))
  (:gen-class
   :name acme.orders.Report
   :implements [com.amazonaws.services.lambda.runtime.RequestStreamHandler]))

(defn- env [name]
  (or (System/getenv name) (throw (ex-info (str name " is not set") {:variable name}))))

(defn- client-config
  "The client's arg map. In another account than Datomic's, the function assumes the role the program
   made there, which may read the database's access keys."
  []
  (cond-> {:server-type :cloud
           :region (env "DATOMIC_REGION")
           :system (env "DATOMIC_SYSTEM_NAME")
           :endpoint (env "DATOMIC_ENDPOINT")}
    (System/getenv "DATOMIC_ACCESS_ROLE_ARN")
    (assoc :creds-provider (.build (STSAssumeRoleSessionCredentialsProvider$Builder.
                                    (System/getenv "DATOMIC_ACCESS_ROLE_ARN") "orders-report")))))

(def ^:private connection
  (delay (d/connect (d/client (client-config)) {:db-name (env "DATOMIC_DATABASE_NAME")})))

(defn report
  "Orders and their total since `since`."
  [db ^Date since]
  (let [[orders total] (first (d/q '[:find (count ?order) (sum ?total)
                                     :in $ ?since
                                     :where
                                     [?order :order/placed-at ?at]
                                     [(>= ?at ?since)]
                                     [?order :order/total-cents ?total]]
                                   db since))]
    {:since (str (.toInstant since)) :orders (or orders 0) :total-cents (or total 0)}))

(defn -handleRequest [_ _input ^java.io.OutputStream output ^Context context]
  (let [since (Date/from (.minus (Instant/now) (Duration/ofDays 1)))
        result (report (d/db @connection) since)]
    (.log (.getLogger context) (json/write-str result))
    (spit output (json/write-str result))))
