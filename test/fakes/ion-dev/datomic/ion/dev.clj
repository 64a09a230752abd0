;; A stand-in for Datomic's ion-dev (com.datomic/ion-dev, namespace datomic.ion.dev), written in
;; Clojure and run on a real JVM, that prints as the real one does (DATOMIC-FACTS.md, "ion-dev as it
;; really behaves"): logs on stderr; other forms before the result; the result map pretty-printed;
;; :execution-arn an unquoted symbol; namespaced maps in dependency conflicts; a failed status exactly
;; {:deploy-status "FAILED", :code-deploy-status "FAILED"}; failures as
;; {:command-failed "{:op :push}", :causes ({:message ..., :class ExceptionInfo, :data {...}})}.
;;
;; The functions push, deploy and deploy-status are what a driver calls in one JVM; -main is
;; `clojure -M:ion-dev '{:op ...}'`, one JVM per operation.
;;
;; Environment:
;;   FAKE_ION_STATE      (required) an EDN file: launches, invocations, deploy and poll times
;;   FAKE_ION_SCENARIO   success | failed | conflicts | command-failed | throttled | throttled-uncaught | killed
;;                       (default success); throttled-uncaught: the throttled polls' exception escapes -main, so
;;                       clojure.main prints "Execution error ..." on stderr and exits 1, with no failure map;
;;                       killed: the JVM is killed by SIGKILL during :deploy, as the out-of-memory killer does
;;   FAKE_ION_DEPLOY_MS  the deploy ends this many milliseconds after :deploy, by the wall clock (default 300)
;;   FAKE_ION_LOAD_MS    extra start cost of ion-dev itself (its AWS client...), paid when the namespace loads
;;   FAKE_ION_STATUS_MS  cost of one deploy-status call (two AWS requests) (default 50)
(ns datomic.ion.dev
  (:require [clojure.edn :as edn]
            [clojure.java.io :as io]
            [clojure.pprint :as pprint]))

(def ^:private rev "5f2c0e9a7b3d41e8a6c2f09d1b7e4a3c8d6f2b10")

(defn- env
  ([name] (System/getenv name))
  ([name default] (or (System/getenv name) default)))

(defn- now [] (System/currentTimeMillis))

(defn- state-file [] (or (env "FAKE_ION_STATE") (throw (ex-info "FAKE_ION_STATE is not set" {}))))

(defn- read-state []
  (let [f (io/file (state-file))]
    (if (.exists f) (edn/read-string (slurp f)) {:launches [] :invocations [] :polls 0})))

(defn- update-state! [f & args]
  (locking read-state
    (let [state (apply f (read-state) args)]
      (spit (state-file) (pr-str state))
      state)))

(defn- log [& parts]
  (binding [*out* *err*]
    (println (apply str "INFO  datomic.ion.dev - " parts))))

;; Loading ion-dev is a cost every launch pays.
(Thread/sleep (Long/parseLong (env "FAKE_ION_LOAD_MS" "0")))
(update-state! update :launches conj (now))

(defn- scenario [] (env "FAKE_ION_SCENARIO" "success"))

(defn- record! [op args]
  (update-state! update :invocations conj
                 {:op op
                  :args args
                  :cwd (System/getProperty "user.dir")
                  ;; Which credentials this JVM was given, for the assume-role test.
                  :access-key-id (env "AWS_ACCESS_KEY_ID")
                  :session-token (env "AWS_SESSION_TOKEN")
                  :profile (env "AWS_PROFILE")
                  ;; The JVM's command line, which must carry no secret.
                  :command (System/getProperty "sun.java.command")}))

(defn push [{:keys [uname] :as args}]
  (record! :push args)
  (log "Pushing " (or uname rev))
  ;; Progress is printed before the result.
  (prn {:step :upload :files 14})
  ;; ion-dev names a reproducible push by its commit, which :local/root dependencies make unreliable.
  (when (and (nil? uname) (.exists (io/file "deps.edn")) (.contains ^String (slurp "deps.edn") ":local/root"))
    (throw (ex-info "You must either specify a uname or deploy from clean git commit" {})))
  (case (scenario)
    "command-failed"
    (throw (ex-info "Unable to find a unique code bucket. Make sure that you are running Datomic Cloud in the region you are deploying to."
                    {:region (:region args) :cognitect.anomalies/category :cognitect.anomalies/not-found}))
    (cond-> {:rev (when-not uname rev)
             :uname uname
             :deploy-groups '("orders-dev")
             :deploy-command (str "clojure -M:ion-dev '{:op :deploy, :group orders-dev, "
                                  (if uname (str ":uname \"" uname "\"") (str ":rev \"" rev "\"")) "}'")
             :doc "To deploy to orders-dev, issue the :deploy-command"}
      (nil? uname) (dissoc :uname)
      (some? uname) (dissoc :rev)
      (= "conflicts" (scenario))
      (assoc :dependency-conflicts
             {:deps {'com.cognitect/s3-creds {:mvn/version "0.1.23"}
                     'org.clojure/core.async {:mvn/version "1.3.610"}}
              :doc "The :push operation overrode these dependencies to match versions already running in Datomic Cloud. To test locally, add these explicit deps to your deps.edn."}))))

(defn deploy [{:keys [group rev uname] :as args}]
  (record! :deploy args)
  (when (= (nil? rev) (nil? uname))
    (throw (ex-info "deploy needs exactly one of :rev and :uname" {:args args})))
  (when (= "killed" (scenario))
    (.waitFor (.exec (Runtime/getRuntime) (into-array String ["kill" "-9" (str (.pid (java.lang.ProcessHandle/current)))]))))
  (let [started (now)
        arn (str "arn:aws:states:us-east-1:111111111111:execution:datomic-" group ":" group "-"
                 (or rev uname) "-" started)]
    (update-state! assoc :deployed-at started
                   :ends-at (+ started (Long/parseLong (env "FAKE_ION_DEPLOY_MS" "300"))))
    (log "Deploying " (or rev uname) " to " group)
    {:execution-arn (symbol arn)
     :status-command (str "clojure -M:ion-dev '{:op :deploy-status, :execution-arn " arn "}'")
     :doc "To check the status of your deployment, issue the :status-command."}))

(defn deploy-status [{:keys [execution-arn] :as args}]
  (when-not execution-arn
    (throw (ex-info ":execution-arn is required" {})))
  (Thread/sleep (Long/parseLong (env "FAKE_ION_STATUS_MS" "50")))
  (let [{:keys [polls ends-at]} (update-state! #(-> % (update :polls inc) (update :poll-times (fnil conj []) (now))))
        ended? (>= (now) ends-at)]
    (record! :deploy-status args)
    (cond
      ;; AWS throttles DescribeExecution; aws-api reports it as a :busy anomaly.
      (and (#{"throttled" "throttled-uncaught"} (scenario)) (<= polls 2))
      (throw (ex-info "Rate exceeded"
                      {:cognitect.anomalies/category :cognitect.anomalies/busy
                       :cognitect.aws.error/code "ThrottlingException"}))
      (not ended?) {:deploy-status "RUNNING" :code-deploy-status "RUNNING"}
      (= "failed" (scenario)) {:deploy-status "FAILED" :code-deploy-status "FAILED"}
      :else (do (update-state! #(cond-> % (nil? (:reported-at %)) (assoc :reported-at (now))))
                {:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}))))

(defn- print-result [result]
  (binding [*print-namespace-maps* true]
    (pprint/pprint result)))

(defn -main [& [arg]]
  (let [request (edn/read-string arg)
        op (:op request)
        f (get {:push push :deploy deploy :deploy-status deploy-status} op)]
    (try
      (print-result (f (dissoc request :op)))
      (catch Throwable t
        (when (and (= "throttled-uncaught" (scenario)) (= :cognitect.anomalies/busy (:cognitect.anomalies/category (ex-data t))))
          (throw t))
        (print-result {:command-failed (pr-str {:op op})
                       :causes (list {:message (.getMessage t)
                                      :class (symbol (.getSimpleName (class t)))
                                      :data (ex-data t)})})
        (flush)
        (System/exit 1)))
    (flush)
    (shutdown-agents)))
