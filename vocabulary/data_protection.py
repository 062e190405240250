"""CloudWatch Logs managed data identifiers: what a log group's data protection policy can audit and mask.

Names as in the ARN `arn:aws:dataprotection::aws:data-identifier/<name>` (CloudWatch Logs user guide,
"Types of data that you can protect"; the same names AWS CDK's DataIdentifier constants carry). Managed
identifiers always live in the `aws` partition of the ARN, whatever the log group's partition. Some need a
keyword near the value (e.g. `AwsSecretKey` needs "aws_secret_access_key", "secret key", ...), so free text
such as a prompt matches only what looks like the identifier in context.
"""

from __future__ import annotations

POLICY_VERSION = "2021-06-01"
# PutDataProtectionPolicy `policyDocument`: at most 30,720 characters.
MAX_POLICY_DOCUMENT = 30_720

_COUNTRY_SPECIFIC = {
    "BankAccountNumber": ("DE", "ES", "FR", "GB", "IT", "US"),
    "DriversLicense": (
        *("AT", "AU", "BE", "BG", "CA", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR"),
        *("HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "US"),
    ),
    "NationalIdentificationNumber": ("DE", "ES", "IT"),
    "PassportNumber": ("CA", "DE", "ES", "FR", "GB", "IT", "US"),
    "PhoneNumber": ("BR", "DE", "ES", "FR", "GB", "IT", "US"),
    "Ssn": ("ES", "US"),
    "TaxId": ("DE", "ES", "FR", "GB"),
}
_SINGLE = (
    # Personal data (any language or region)
    *("Address", "EmailAddress", "IpAddress", "LatLong", "Name", "VehicleIdentificationNumber"),
    # Credentials
    *("AwsSecretKey", "OpenSshPrivateKey", "PgpPrivateKey", "PkcsPrivateKey", "PuttyPrivateKey"),
    # Financial
    *("CreditCardExpiration", "CreditCardNumber", "CreditCardSecurityCode"),
    # Country-specific identifiers with a single country
    *("CepCode-BR", "Cnpj-BR", "CpfCode-BR", "RgNumber-BR"),
    *("PermanentResidenceNumber-CA", "PersonalHealthNumber-CA", "PostalCode-CA", "SocialInsuranceNumber-CA"),
    *("HealthInsuranceCardNumber-EU", "HealthInsuranceNumber-FR", "InseeCode-FR"),
    *("ElectoralRollNumber-GB", "NationalInsuranceNumber-GB", "NhsNumber-GB"),
    *("NieNumber-ES", "NifNumber-ES"),
    *("DrugEnforcementAgencyNumber-US", "HealthInsuranceClaimNumber-US", "HealthcareProcedureCode-US"),
    *("IndividualTaxIdentificationNumber-US", "MedicareBeneficiaryNumber-US", "NationalDrugCode-US"),
    *("NationalProviderId-US", "ZipCode-US"),
)
MANAGED_IDENTIFIERS: frozenset[str] = frozenset(
    (*_SINGLE, *(f"{kind}-{country}" for kind, countries in _COUNTRY_SPECIFIC.items() for country in countries))
)

# Masked by default once data protection is switched on: credentials and payment data are never needed
# to read a prompt, and rarely false positives. Names, addresses and phone numbers are left to the
# inventory: they match ordinary prose and make logs hard to read.
DEFAULT_IDENTIFIERS: tuple[str, ...] = (
    "AwsSecretKey",
    "OpenSshPrivateKey",
    "PgpPrivateKey",
    "PkcsPrivateKey",
    "PuttyPrivateKey",
    "CreditCardNumber",
    "CreditCardSecurityCode",
    "EmailAddress",
)


def identifier_arn(name: str) -> str:
    return f"arn:aws:dataprotection::aws:data-identifier/{name}"
