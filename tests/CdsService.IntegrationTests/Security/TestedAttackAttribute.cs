namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Marks a test that replays an attack, with the answer the service must give. <see cref="TestedAttacksDocumentTests"/>
/// builds the "Tested attacks" table of docs/security.md from these, so the table can never list a test that does not
/// exist, nor miss one that does.
/// </summary>
/// <param name="attack">What the attacker sends or does, in one line (e.g. "POST /CDS-SERVICES/… in upper case").</param>
/// <param name="expected">The answer the service gives (e.g. "audited like any hook call").</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class TestedAttackAttribute(string attack, string expected) : Attribute
{
    public string Attack { get; } = attack;

    public string Expected { get; } = expected;
}
