/**
 * A part of IonApiDomain: the DNS-validated ACM certificate. (The front API that
 * carries access logs and throttling is in frontApi.ts.)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A public ACM certificate for `domainName`, validated through a record in the Route 53 zone
 * `hostedZoneId`, as docs.datomic.com/operation/custom-api-gateway.html does by hand ("Request a public
 * certificate ... DNS validation ... Create record in Route 53"). Returns the ARN once issued, so the API
 * Gateway domain waits for it.
 */
export function validatedCertificate(
    owner: pulumi.Resource,
    name: string,
    settings: {
        domainName: pulumi.Input<string>;
        hostedZoneId: pulumi.Input<string>;
        tags?: Record<string, pulumi.Input<string>>;
    },
): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
        `${name}-certificate`,
        { domainName: settings.domainName, validationMethod: "DNS", tags: settings.tags },
        { parent: owner },
    );
    // One domain, so one validation option.
    const option = certificate.domainValidationOptions.apply((options) => options[0]);
    const record = new aws.route53.Record(
        `${name}-certificate-record`,
        {
            zoneId: settings.hostedZoneId,
            name: option.apply((o) => o.resourceRecordName),
            type: option.apply((o) => o.resourceRecordType),
            records: [option.apply((o) => o.resourceRecordValue)],
            ttl: 300,
            // ACM gives every certificate for the same name in an account the same record, so another
            // certificate (a blue/green twin, another stack of the service) may have written it already:
            // writing the same value again is harmless.
            allowOverwrite: true,
        },
        {
            parent: owner,
            // Never deleted with this stack: the twin renews through the same record, and ACM renews a DNS-
            // validated certificate only while its record stays in DNS (ACM user guide, "DNS validation";
            // dflook/cloudformation-dns-certificate#7: ACM reused the record for a duplicate certificate,
            // so deleting it with one would fail the other's renewal). Delete it by hand once no
            // certificate for the name is left (docs/http-direct.md).
            retainOnDelete: true,
        },
    );
    return new aws.acm.CertificateValidation(
        `${name}-certificate-validation`,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        { parent: owner },
    ).certificateArn;
}
