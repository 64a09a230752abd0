/** Public SSM parameters naming the latest Amazon Linux 2023 AMIs (docs.aws.amazon.com/linux/al2023/ug/ec2.html). */
export const AL2023_AMI_PARAMETERS = {
    /** For x86_64 instance types. */
    x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    /** For arm64 (Graviton) instance types. */
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
} as const;
