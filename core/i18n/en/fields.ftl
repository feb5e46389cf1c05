# The refusals of the protocol's field rules (spur_protocol::fields), one message per typed
# reason: `field-<field>-<reason>`. Loaded into the same bundle as messages.ftl.

## Country (CountryProblem)
field-country-not-two-letters = The country must be a two-letter code such as DE or AT.
field-country-not-assigned = "{ $country }" is not a country code. Use the two-letter ISO code of the country, such as DE, AT or CH.

## Postcode (PostcodeProblem)
field-postcode-empty = A place needs a postcode.
field-postcode-too-long = A postcode has at most 10 characters.
field-postcode-character = The postcode may contain only letters, digits, spaces and hyphens, not "{ $character }".
field-postcode-separators = The postcode must not start or end with a space or hyphen, nor have two of them in a row.
field-postcode-all-zeros = A postcode cannot be all zeros.
field-postcode-five-digits = Postcodes in { $country } have 5 digits, for example 80331.
field-postcode-four-digits = Postcodes in { $country } have 4 digits from 1000 to 9999, for example 1010.
field-postcode-general = The postcode may contain only letters, digits, spaces and hyphens (at most 10).

## Names and ids (TextProblem); $field is place-name, description or campus-id
field-text-control = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} contains a control character ({ $character }). Remove it.
field-text-bidi = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} contains a character that changes the text direction ({ $character }). Remove it.
field-text-invisible = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} contains an invisible character ({ $character }). Remove it.
field-text-line-break = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} must be a single line ({ $character } found). Remove the line break.
