;; datomic-ion-release's driver: one JVM for a whole release, as the Clojure script it replaces ran
;; push, deploy and the status loop through datomic.ion.dev's push, deploy and deploy-status
;; functions. Run as `java -cp <the ion-dev alias's classpath> clojure.main driver.clj`.
;;
;; Protocol: one EDN request a line on stdin ({:op :push, ...}, ion-dev's own argument map); one EDN
;; event a line on stdout:
;;   {:event :ready}                                      datomic.ion.dev is loaded
;;   {:event :load-failed, :message "..."}                it is not on the classpath (then exit 1)
;;   {:event :result, :op :push, :printed "<EDN>"}         the function's result
;;   {:event :failed, :op :push, :printed "<EDN>"}         what it threw, in ion-dev's failure shape
;;                                                        {:command-failed "{:op :push}", :causes (...)}
;; :printed is the value as EDN text, read by the same code that reads ion-dev's printed output.
;; Everything else ion-dev or its libraries print goes to stderr, so stdout carries only events.
(require '[clojure.edn :as edn]
         '[clojure.walk :as walk])

(def ^:private events
  (java.io.PrintWriter. (java.io.OutputStreamWriter. (java.io.FileOutputStream. java.io.FileDescriptor/out) "UTF-8") true))
(System/setOut System/err)

(defn- readable
  "The value with anything EDN cannot carry (objects in ex-data, for example) turned into strings."
  [value]
  (walk/postwalk
   (fn [x]
     (if (or (nil? x) (string? x) (keyword? x) (symbol? x) (number? x) (boolean? x) (coll? x) (inst? x) (uuid? x))
       x
       (str x)))
   value))

(defn- printed [value]
  (binding [*print-namespace-maps* true *print-length* nil *print-level* nil]
    (pr-str (readable value))))

(defn- emit [event]
  (binding [*print-length* nil *print-level* nil]
    (.println ^java.io.PrintWriter events (pr-str event))))

(defn- failure
  "ion-dev's documented failure map, built from what was thrown."
  [op ^Throwable t]
  {:command-failed (pr-str {:op op})
   :causes (for [cause (take-while some? (iterate #(.getCause ^Throwable %) t))]
             {:message (.getMessage ^Throwable cause)
              :class (symbol (.getSimpleName (class cause)))
              :data (ex-data cause)})})

(try
  (binding [*out* *err*] (require 'datomic.ion.dev))
  (emit {:event :ready})
  (catch Throwable t
    (emit {:event :load-failed :message (str (.getSimpleName (class t)) ": " (.getMessage t))})
    (System/exit 1)))

(loop []
  (when-let [line (read-line)]
    (let [request (edn/read-string line)
          op (:op request)]
      (emit
       (try
         (let [f (or (resolve (symbol "datomic.ion.dev" (name op)))
                     (throw (ex-info (str "datomic.ion.dev has no function " (name op)) {:op op})))
               result (binding [*out* *err*] (f (dissoc request :op)))]
           {:event :result :op op :printed (printed result)})
         (catch Throwable t
           {:event :failed :op op :printed (printed (failure op t))}))))
    (recur)))
(shutdown-agents)
