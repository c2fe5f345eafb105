terraform {
  required_providers {
    digicertone = {
      source = "digicert/digicertone"
    }
  }
}

# Leave api_key out and set DIGICERT_ONE_API_KEY instead, so that the key
# stays out of the configuration.
provider "digicertone" {
  region = "us"

  # Transient failures (429, 503, dropped connections) are retried.
  max_retries        = 5
  max_retry_duration = "2m"
  request_timeout    = "30s"

  # Plans warn about service users that expire within this many days.
  expiry_warning_days = 30
}
