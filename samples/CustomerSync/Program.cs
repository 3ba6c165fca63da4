// The sample flow is being built (issue: sync engine and samples/CustomerSync).
Console.WriteLine("Concord CustomerSync sample: the flow is not built yet.");
return 1;
