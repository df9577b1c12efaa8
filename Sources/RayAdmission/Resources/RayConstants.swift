/// Names and numbers KubeRay builds on (rule book §3.2, §3.7, §3.10).
public enum RayConstants {
    public enum Port {
        public static let gcsServer = 6379
        public static let dashboard = 8265
        public static let client = 10001
        public static let serve = 8000
        public static let metrics = 8080
    }

    public enum PortName {
        public static let gcsServer = "gcs-server"
        public static let dashboard = "dashboard"
        public static let client = "client"
        public static let serve = "serve"
        public static let metrics = "metrics"
    }

    public enum StartParam {
        public static let port = "port"
        public static let dashboardPort = "dashboard-port"
        public static let clientServerPort = "ray-client-server-port"
        public static let metricsExportPort = "metrics-export-port"
        public static let dashboardHost = "dashboard-host"
        public static let numCPUs = "num-cpus"
    }

    public enum Annotation {
        public static let ftEnabled = "ray.io/ft-enabled"
        public static let enableServeService = "ray.io/enable-serve-service"
    }

    public enum Label {
        /// The kind that created a RayCluster: `RayJob`, `RayService` (KubeRay sets it on the child).
        public static let originatedFromCRD = "ray.io/originated-from-crd"
    }

    public enum Env {
        public static let redisAddress = "RAY_REDIS_ADDRESS"
        public static let gcsReconnectTimeout = "RAY_gcs_rpc_server_reconnect_timeout_s"
        public static let nvidiaVisibleDevices = "NVIDIA_VISIBLE_DEVICES"
    }

    public static let nvidiaGPUResource = "nvidia.com/gpu"
}
