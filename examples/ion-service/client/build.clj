(ns build
  "clojure -T:build uber: the report function's jar, with the handler class compiled ahead of time."
  (:require [clojure.tools.build.api :as b]))

(def class-dir "target/classes")
(def jar-file "target/orders-report.jar")

(defn uber [_]
  (let [basis (b/create-basis {:project "deps.edn"})]
    (b/delete {:path "target"})
    (b/compile-clj {:basis basis :ns-compile '[acme.orders.report] :class-dir class-dir})
    (b/uber {:basis basis :class-dir class-dir :uber-file jar-file})))
